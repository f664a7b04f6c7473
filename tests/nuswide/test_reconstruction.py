"""The nearest-tag reconstruction (the paper's Figure 3): tags nearest by cosine to the mean tag
vector Cross-Modal II reconstructs from the SIFT alone, with the models fitted on every tag."""

import numpy as np
import pandas as pd
import pytest
from slot_fixture import slot_study

from crossmodal.core.errors import InputError
from crossmodal.nuswide.autoencoder import AutoencoderConfig
from crossmodal.nuswide.mu_grid import train_slot_autoencoder
from crossmodal.nuswide.reconstruction import nearest_tags, predicted_tag_table
from crossmodal.nuswide.tag_vectors import TagModelConfig, fit_slot_tag_vectors

SCORING = {"cs": [1.0], "folds": 3, "seed": 0, "max_iter": 200}


def test_nearest_tags_are_by_cosine_not_by_length():
    vectors = np.array([[1.0, 0.0], [10.0, 1.0], [0.0, 1.0], [-1.0, 0.0]])
    # a short reconstruction along the first axis: "long" (10, 1) is far in Euclidean distance
    # but second-closest in direction, "up" next, the opposite "left" last
    assert nearest_tags(np.array([[0.2, 0.0]]), vectors, ["x", "long", "up", "left"], 4) == [
        ["x", "long", "up", "left"]
    ]


def test_predicted_tags_come_from_the_all_tags_cross_modal_network(tmp_path):
    study = slot_study()
    vectors = fit_slot_tag_vectors(study, "all_tags", TagModelConfig(dim=4, epochs=2))
    config = AutoencoderConfig(variant="crossmodal2", epochs=2)
    trained = train_slot_autoencoder(
        study, "all_tags", vectors, config, [10.0], SCORING, tmp_path / "cm2.pt"
    )
    tag_lists = [[study.vocabulary[j] for j in np.flatnonzero(row)] for row in study.tags]
    images = pd.DataFrame({"image_id": study.items["image_id"], "path": "p.png", "tags": tag_lists})
    table = predicted_tag_table(study, images, trained, vectors, 5, 3, seed=0)
    assert len(table) == 5
    test_ids = set(study.items.loc[~study.train, "image_id"])
    assert set(table["image_id"]) <= test_ids
    for row in table.itertuples():
        predicted = row.predicted_tags.split()
        assert len(predicted) == 3 and set(predicted) <= set(study.vocabulary)
        assert row.hits == len(set(predicted) & set(row.real_tags.split()))
    config = AutoencoderConfig(variant="joint", epochs=1)
    joint = train_slot_autoencoder(
        study, "all_tags", vectors, config, [10.0], SCORING, tmp_path / "joint.pt"
    )
    with pytest.raises(InputError, match="expected a cross-modal network of slot all_tags"):
        predicted_tag_table(study, images, joint, vectors, 5, 3, seed=0)
