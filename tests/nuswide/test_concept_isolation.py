"""No representation used for concept c was fitted on data containing tag c.

The paper removes each concept's tag from the dictionary before training its models. Here every
model of concept c's slot (tag vectors, LSA, the three autoencoders) is fitted twice: on the
study, and on the study with c's tags replaced by other values. If anything fitted for c had
read those tags, the two fits - and the features c is classified on - would differ; they must be
identical, bit for bit. Changing another tag must change them, so the comparison can fail.
"""

import numpy as np
import pytest
from slot_fixture import slot_study, with_tags

from crossmodal.core.errors import InputError
from crossmodal.nuswide.autoencoder import AutoencoderConfig
from crossmodal.nuswide.classification import SlotModels, features
from crossmodal.nuswide.lsa import fit_slot_lsa
from crossmodal.nuswide.mu_grid import train_slot_autoencoder
from crossmodal.nuswide.names import REPRESENTATIONS
from crossmodal.nuswide.tag_vectors import TagModelConfig, fit_slot_tag_vectors

pytestmark = pytest.mark.usefixtures("one_thread")
SCORING = {"cs": [0.1, 1.0], "folds": 3, "seed": 0, "max_iter": 200}
SKY_TAGS, OTHER_TAG = [0, 1], 3  # columns of sky, skys; cloud (not a tag of sky)


def fit_slot(data, slot, representation, path):
    """The models of ``slot`` that ``representation`` reads, fitted as the workflow does."""
    need = REPRESENTATIONS[representation][1]
    if need is None:
        return SlotModels()
    config = TagModelConfig(dim=3, epochs=2, iterations_per_epoch=5)
    vectors = fit_slot_tag_vectors(data, slot, config)
    if need == "lsa":
        return SlotModels(lsa=fit_slot_lsa(data, slot, 2, seed=0))
    if need == "tag_vectors":
        return SlotModels(tag_vectors=vectors)
    ae = AutoencoderConfig(variant=representation, epochs=2, batch_size=32)
    trained = train_slot_autoencoder(data, slot, vectors, ae, [1.0, 10.0], SCORING, path)
    return SlotModels(tag_vectors=vectors, autoencoder=trained)


@pytest.mark.parametrize("representation", list(REPRESENTATIONS))
def test_nothing_fitted_for_a_concept_reads_its_tags(representation, tmp_path):
    study = slot_study()
    own = features(
        representation, study, "sky", fit_slot(study, "concept0", representation, tmp_path / "a.pt")
    )
    changed = with_tags(study, SKY_TAGS, seed=5)
    again = features(
        representation,
        changed,
        "sky",
        fit_slot(changed, "concept0", representation, tmp_path / "b.pt"),
    )
    np.testing.assert_array_equal(again, own)
    other = with_tags(study, [OTHER_TAG], seed=5)
    differs = features(
        representation, other, "sky", fit_slot(other, "concept0", representation, tmp_path / "c.pt")
    )
    reads_tags = representation != "sift"  # SIFT alone reads no tag, fitted or not
    assert (not np.array_equal(differs, own)) == reads_tags


def test_fitted_vocabularies_leave_out_the_concepts_tags():
    study = slot_study()
    config = TagModelConfig(dim=3, epochs=1, iterations_per_epoch=2)
    assert fit_slot_tag_vectors(study, "concept0", config).words == [
        "sea",
        "cloud",
        "tree",
        "sun",
        "cat",
        "road",
    ]
    assert "sea" not in fit_slot_lsa(study, "concept1", 2, seed=0).words
    assert fit_slot_tag_vectors(study, "concept2", config).words == study.vocabulary  # dog: none
    assert fit_slot_tag_vectors(study, "all_tags", config).words == study.vocabulary


def test_a_model_fitted_with_the_concepts_tag_is_refused(tmp_path):
    """The classification checks each model it reads, so a wrong slot cannot slip through."""
    study = slot_study()
    config = TagModelConfig(dim=3, epochs=1, iterations_per_epoch=2)
    every_tag = fit_slot_tag_vectors(study, "all_tags", config)
    with pytest.raises(InputError, match="fitted with tag 'sky', which its concept must not see"):
        features("tag_vectors", study, "sky", SlotModels(tag_vectors=every_tag))
    lsa = fit_slot_lsa(study, "concept1", 2, seed=0)  # the slot of sea, not of sky
    with pytest.raises(InputError, match="fitted with tag 'sky'"):
        features("lsa", study, "sky", SlotModels(lsa=lsa))
    ae = AutoencoderConfig(variant="crossmodal1", epochs=1)
    wrong = train_slot_autoencoder(
        study, "all_tags", every_tag, ae, [10.0], SCORING, tmp_path / "m.pt"
    )
    with pytest.raises(InputError, match=r"fitted without \[\], not without the concept's tags"):
        features("crossmodal1", study, "sky", SlotModels(autoencoder=wrong))
    with pytest.raises(InputError, match="the autoencoder of its slot was not given"):
        features("crossmodal2", study, "sky", SlotModels())
