"""No representation used for concept c was fitted on data containing tag c.

The paper removes each concept's tag from the dictionary before training its models. Here every
model of concept c's slot (tag vectors, LSA, the three autoencoders) is fitted twice: on the
study, and on the study with c's tags replaced by other values (with ``tag_removal:
all_concepts``, every concept's tags). If anything fitted for c had
read those tags, the two fits - and the features c is classified on - would differ; they must be
identical, bit for bit. Changing another tag must change them, so the comparison can fail.
"""

import numpy as np
import pytest
from slot_fixture import slot_study, with_tags

from crossmodal.core.errors import InputError
from crossmodal.nuswide.autoencoder import AutoencoderConfig
from crossmodal.nuswide.classification import SlotModels, concept_aucs, features
from crossmodal.nuswide.lsa import fit_slot_lsa
from crossmodal.nuswide.mu_grid import train_slot_autoencoder
from crossmodal.nuswide.names import REPRESENTATIONS
from crossmodal.nuswide.tag_vectors import TagModelConfig, fit_slot_tag_vectors

SCORING = {"cs": [0.1, 1.0], "folds": 3, "seed": 0, "max_iter": 200}
SKY_TAGS, SEA_TAG, OTHER_TAG = [0, 1], 2, 3  # columns of sky, skys; sea; cloud (no concept's)


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


# (slot sky is classified with, the tag columns that must not matter): the paper's per-concept
# models (sky, skys), and the shared models of ``tag_removal: all_concepts`` (every concept's
# tags: sky, skys and sea).
MODES = [("concept0", SKY_TAGS), ("without_concepts", [*SKY_TAGS, SEA_TAG])]


@pytest.mark.parametrize(("slot", "concept_tags"), MODES)
@pytest.mark.parametrize("representation", list(REPRESENTATIONS))
def test_nothing_fitted_for_a_concept_reads_its_tags(representation, slot, concept_tags, tmp_path):
    study = slot_study()
    own = features(
        representation, study, slot, fit_slot(study, slot, representation, tmp_path / "a")
    )
    changed = with_tags(study, concept_tags, seed=5)
    again = features(
        representation, changed, slot, fit_slot(changed, slot, representation, tmp_path / "b")
    )
    np.testing.assert_array_equal(again, own)
    other = with_tags(study, [OTHER_TAG], seed=5)
    differs = features(
        representation, other, slot, fit_slot(other, slot, representation, tmp_path / "c")
    )
    reads_tags = representation != "sift"  # SIFT alone reads no tag, fitted or not
    assert (not np.array_equal(differs, own)) == reads_tags


def test_fitted_vocabularies_leave_out_the_concepts_tags():
    study = slot_study()
    config = TagModelConfig(dim=3, epochs=1, iterations_per_epoch=2)
    without_sky = ["sea", "cloud", "tree", "sun", "cat", "road"]
    assert fit_slot_tag_vectors(study, "concept0", config).words == without_sky
    assert "sea" not in fit_slot_lsa(study, "concept1", 2, seed=0).words
    assert fit_slot_tag_vectors(study, "concept2", config).words == study.vocabulary  # dog: none
    assert fit_slot_lsa(study, "without_concepts", 2, seed=0).words == without_sky[1:]
    assert fit_slot_tag_vectors(study, "all_tags", config).words == study.vocabulary


def test_a_model_fitted_with_the_concepts_tag_is_refused(tmp_path):
    """The classification checks each model it reads, so a wrong slot cannot slip through."""
    study = slot_study()
    config = TagModelConfig(dim=3, epochs=1, iterations_per_epoch=2)
    every_tag = fit_slot_tag_vectors(study, "all_tags", config)
    with pytest.raises(InputError, match="fitted with tag 'sky', which its concept must not see"):
        features("tag_vectors", study, "concept0", SlotModels(tag_vectors=every_tag))
    lsa = fit_slot_lsa(study, "concept1", 2, seed=0)  # the slot of sea, not of sky
    with pytest.raises(InputError, match="fitted with tag 'sky'"):
        features("lsa", study, "concept0", SlotModels(lsa=lsa))
    ae = AutoencoderConfig(variant="crossmodal1", epochs=1)
    wrong = train_slot_autoencoder(
        study, "all_tags", every_tag, ae, [10.0], SCORING, tmp_path / "m"
    )
    with pytest.raises(InputError, match=r"fitted without \[\], not without the slot's tags"):
        features("crossmodal1", study, "concept0", SlotModels(autoencoder=wrong))
    with pytest.raises(InputError, match="the autoencoder of the slot was not given"):
        features("crossmodal2", study, "concept0", SlotModels())


def test_a_concept_is_never_classified_in_a_slot_that_keeps_its_tag():
    study = slot_study()
    kwargs = {"cs": [1.0], "folds": 3, "seed": 0}
    with pytest.raises(InputError, match="tags / sky: slot all_tags keeps its tag 'sky'"):
        concept_aucs("tags", study, {}, ["all_tags", "concept1", "concept2"], **kwargs)
    with pytest.raises(InputError, match="tags / sea: slot concept0 keeps its tag 'sea'"):
        concept_aucs("tags", study, {}, ["concept0", "concept0", "concept2"], **kwargs)
    scores = concept_aucs("tags", study, {}, ["without_concepts"] * 3, **kwargs)
    assert (scores["n_features"] == len(study.vocabulary) - 3).all()  # sky, skys, sea out
