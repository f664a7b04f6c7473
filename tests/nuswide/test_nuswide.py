"""NUS-WIDE study: PCA whitening, study preparation from tags alone, concept slots and the removal
of a concept's tags from the dictionary, Table 2 beside the paper's, and its figure."""

import numpy as np
import pandas as pd
import pytest

from crossmodal.core.errors import InputError
from crossmodal.nuswide.concepts import (
    category_labels,
    concept_tags,
    drop_tags,
    sample_split,
    table_labels,
)
from crossmodal.nuswide.figures import plot_auc, read_table2
from crossmodal.nuswide.names import REPRESENTATIONS, concept_slots
from crossmodal.nuswide.preparation import prepare_study, whiten, whitened_sift
from crossmodal.nuswide.study import (
    StudyData,
    auc_table,
    check_fitted_without,
    paper_table2,
    top_tags,
)


def test_whitening_gives_identity_covariance_on_training_rows():
    rng = np.random.default_rng(0)
    mixing = rng.standard_normal((40, 40)) * rng.uniform(0.1, 5.0, 40)
    data = rng.standard_normal((600, 40)) @ mixing + 3.0
    train = np.arange(600) < 400
    out, kept = whiten(data, train, 25, seed=0)
    assert out.shape == (600, 25)
    np.testing.assert_allclose(out[train].mean(axis=0), 0.0, atol=1e-4)
    np.testing.assert_allclose(np.cov(out[train], rowvar=False), np.eye(25), atol=1e-3)
    # fitted on training rows only: the held-out rows are transformed, not re-whitened
    assert not np.allclose(np.cov(out[~train], rowvar=False), np.eye(25), atol=0.05)
    assert 0 < kept < 1


def test_whitening_refuses_more_dimensions_than_training_images():
    data = np.random.default_rng(0).random((30, 50))
    with pytest.raises(InputError, match="sift_dim"):
        whiten(data, np.arange(30) < 20, 25, seed=0)


def test_whitened_sift_takes_each_items_row_by_image_id():
    rng = np.random.default_rng(0)
    bovw = rng.random((30, 12)).astype(np.float32)
    ids = pd.DataFrame({"image_id": [f"img{i}" for i in range(30)]})
    order = rng.permutation(30)[:25]  # items in another order, five feature rows unused
    items = pd.DataFrame(
        {"image_id": [f"img{i}" for i in order], "split": ["train"] * 18 + ["test"] * 7}
    )
    train = (items["split"] == "train").to_numpy()
    expected, _ = whiten(bovw[order].astype(np.float64), train, 6, seed=0)
    np.testing.assert_array_equal(whitened_sift(items, bovw, ids, 6, 0, "b.ids"), expected)
    items.loc[3, "image_id"] = "elsewhere"
    with pytest.raises(InputError, match="b.ids: no features for image 'elsewhere'"):
        whitened_sift(items, bovw, ids, 6, 0, "b.ids")


def test_concept_tags_are_its_name_and_simple_forms_in_the_vocabulary():
    vocabulary = ["animal", "animals", "cloud", "clouds", "beach", "sky", "zoo"]
    assert concept_tags("animals", vocabulary) == ["animal", "animals"]
    assert concept_tags("clouds", vocabulary) == ["cloud", "clouds"]
    assert concept_tags("sky", vocabulary) == ["sky"]
    assert concept_tags("beaches", vocabulary) == ["beach"]
    assert concept_tags("street", vocabulary) == []


def test_dropping_a_concepts_tags_removes_their_columns_from_the_dictionary():
    matrix = np.arange(12, dtype=np.float32).reshape(3, 4)
    tags, kept = drop_tags(matrix, ["sky", "skys", "sea", "dog"], ["skys", "sky"])
    assert kept == ["sea", "dog"]
    np.testing.assert_array_equal(tags, matrix[:, 2:])
    with pytest.raises(InputError, match="removed tag 'cat' is not in the vocabulary"):
        drop_tags(matrix, ["sky", "skys", "sea", "dog"], ["cat"])


@pytest.fixture(scope="module")
def study():
    """20 items with 4 visual dimensions, 6 tags; concept "sky" has the tags sky and skys,
    concept "dog" none (its name is not a tag here)."""
    rng = np.random.default_rng(1)
    vocabulary = ["sky", "skys", "sea", "tree", "sun", "cat"]
    tags = (rng.random((20, 6)) < 0.5).astype(np.float32)
    items = pd.DataFrame(
        {"image_id": [f"i{i}" for i in range(20)], "split": ["train"] * 14 + ["test"] * 6}
    )
    items["sky"] = tags[:, 0] > 0
    items["dog"] = rng.random(20) < 0.5
    concepts = pd.DataFrame(
        {
            "concept": ["sky", "dog"],
            "removed_tags": ["sky skys", ""],
            "train_positives": [5, 5],
            "test_positives": [2, 2],
        }
    )
    visual = rng.standard_normal((20, 4)).astype(np.float32)
    return StudyData(items, concepts, tags, vocabulary, visual)


def test_model_slots_name_their_concept_and_its_removed_tags(study):
    assert study.slot_concepts("concept0") == ["sky"]
    assert study.slot_removed("concept0") == ["sky", "skys"]
    assert study.slot_concepts("concept1") == ["dog"] and study.slot_removed("concept1") == []
    assert study.slot_concepts("all_tags") == ["sky", "dog"]
    assert study.slot_removed("all_tags") == []
    tags, kept = study.tags_for(study.slot_removed("concept0"))
    assert kept == ["sea", "tree", "sun", "cat"]
    np.testing.assert_array_equal(tags, study.tags[:, 2:])
    # tag_removal: all_concepts - one slot without every concept's tags, serving them all
    assert study.slot_concepts("without_concepts") == ["sky", "dog"]
    assert study.slot_removed("without_concepts") == ["sky", "skys"]
    with pytest.raises(InputError, match="only 2 concepts"):
        study.slot_concepts("concept2")
    with pytest.raises(InputError, match="expected concept<k>, without_concepts or all_tags"):
        study.slot_concepts("sky")


def test_each_concept_has_its_slot_known_from_the_config():
    assert concept_slots([], 3, "per_concept") == ["concept0", "concept1", "concept2"]
    assert concept_slots(["sky", "sea"], 10, "per_concept") == ["concept0", "concept1"]
    assert concept_slots(["sky", "sea"], 10, "all_concepts") == ["without_concepts"] * 2
    with pytest.raises(InputError, match="tag_removal"):
        concept_slots([], 3, "none")


def test_a_model_with_a_removed_tag_in_its_vocabulary_is_refused():
    check_fitted_without(["sea", "tree"], ["tree", "sea"], "m")  # same tags: accepted
    with pytest.raises(InputError, match="m: fitted with tag 'sky', which its concept must not"):
        check_fitted_without(["sea", "sky", "tree"], ["sea", "tree"], "m")
    with pytest.raises(InputError, match="m: no vector for tag 'tree'"):
        check_fitted_without(["sea"], ["sea", "tree"], "m")


def test_tag_only_stages_read_no_visual_features(study):
    tag_only = StudyData(study.items, study.concepts, study.tags, study.vocabulary)
    with pytest.raises(InputError, match="needs the whitened SIFT"):
        tag_only.require_visual()


def _images():
    rows = []
    for split, n in (("train", 30), ("test", 10)):
        for i in range(n):
            category = ["animals", "food", "town"][i % 3] if i % 10 else "space"
            tags = ["animal", "cat"] if category == "animals" else [category[:3], "thing"]
            rows.append(
                {"image_id": f"{split}{i}", "split": split, "category": category, "tags": tags}
            )
    return pd.DataFrame(rows)


def test_prepare_study_picks_frequent_concepts_and_their_tags():
    images = _images()
    labels = category_labels(images).iloc[:-2]  # two test images have no labels
    study = prepare_study(images, labels, [], 2, {"train": None, "test": None}, 0, 2, None)
    assert list(study.concepts["concept"]) == ["animals", "food"]  # 'space' is rarer
    assert list(study.concepts["removed_tags"]) == ["animal", ""]
    assert len(study.items) == 38
    assert study.tags.shape == (38, len(study.vocabulary))
    # binary tag matrix, row-aligned with the items
    row = study.items.index[study.items["image_id"] == "train3"][0]
    present = {study.vocabulary["tag"][j] for j in np.flatnonzero(study.tags[row])}
    assert present == {"animal", "cat"}
    assert study.items.loc[row, "animals"] and not study.items.loc[row, "food"]
    with pytest.raises(InputError, match="nuswide.concepts"):
        prepare_study(images, labels, ["sky"], 2, {"train": None, "test": None}, 0, 1, None)


def test_prepare_study_refuses_more_concepts_than_have_training_images():
    """The workflow plans one model slot per concept before reading the data."""
    images = _images()
    with pytest.raises(InputError, match="nuswide.n_concepts: 5 concepts asked for, but only 4"):
        prepare_study(
            images, category_labels(images), [], 5, {"train": None, "test": None}, 0, 1, None
        )


def test_sample_split_draws_the_asked_numbers_per_split():
    items = _images()
    sample = sample_split(items, {"train": 12, "test": None}, seed=3)
    assert (sample["split"] == "train").sum() == 12
    assert (sample["split"] == "test").sum() == 10
    again = sample_split(items, {"train": 12, "test": None}, seed=3)
    pd.testing.assert_frame_equal(sample, again)


def test_the_papers_table2_is_read_from_its_data_file():
    paper = paper_table2().set_index("representation")["paper_mean_auc"]
    assert set(paper.index) == set(REPRESENTATIONS)
    assert paper["tags"] == 0.850 and paper["joint"] == 0.861 and paper["crossmodal2"] == 0.773


def test_table2_orders_representations_and_shows_the_papers_beside_ours(tmp_path):
    scores = [
        pd.DataFrame({"representation": rep, "concept": ["a", "b"], "auc": [0.6 + 0.05 * i, 0.8]})
        for i, rep in enumerate(["sift", "tags", "joint"])
    ]
    table = auc_table(scores, ["a", "b"])
    assert list(table["representation"]) == ["tags", "sift", "joint"]
    assert list(table.columns) == [
        "representation",
        "label",
        "mean_auc",
        "paper_mean_auc",
        "a",
        "b",
    ]
    np.testing.assert_allclose(table["mean_auc"], [(0.65 + 0.8) / 2, 0.7, 0.75])
    np.testing.assert_allclose(table["paper_mean_auc"], [0.850, 0.755, 0.861])
    assert list(table["label"]) == ["raw tags", "SIFT", "joint"]
    table.to_csv(tmp_path / "table2.csv", index=False)
    fig = plot_auc(read_table2(tmp_path / "table2.csv"), tmp_path / "auc.png", tmp_path / "auc.pdf")
    bars = [patch.get_width() for patch in fig.axes[0].patches]
    np.testing.assert_allclose(bars, table["mean_auc"])
    marks = [c for c in fig.axes[0].collections if c.get_label().startswith("the paper")]
    np.testing.assert_allclose(marks[0].get_offsets()[:, 0], table["paper_mean_auc"])
    assert (tmp_path / "auc.png").stat().st_size > 0 and (tmp_path / "auc.pdf").is_file()
    with pytest.raises(InputError, match="concept 'c'"):
        auc_table(scores, ["a", "c"])
    table.drop(columns="mean_auc").to_csv(tmp_path / "bad.csv", index=False)
    with pytest.raises(InputError, match="missing column.*mean_auc"):
        read_table2(tmp_path / "bad.csv")


def test_top_tags_are_the_highest_scores_best_first():
    scores = np.array([[0.1, 0.9, 0.5], [0.7, 0.2, 0.3]])
    assert top_tags(scores, ["x", "y", "z"], 2) == [["y", "z"], ["x", "z"]]


def test_prepare_study_reads_ground_truth_concepts_in_config_order():
    images = _images()
    truth = pd.DataFrame(
        {
            "image_id": images["image_id"],
            "cat": images["tags"].map(lambda tags: "cat" in tags),
            "thing": images["tags"].map(lambda tags: "thing" in tags),
        }
    )
    labels = table_labels(truth, "concepts.parquet")
    sizes = {"train": None, "test": None}
    study = prepare_study(images, labels, ["thing", "cat"], 10, sizes, 0, 1, None)
    assert list(study.concepts["concept"]) == ["thing", "cat"]
    assert list(study.concepts["removed_tags"]) == ["thing", "cat"]
    assert study.concepts["train_positives"].tolist() == [
        int(study.items.loc[study.items["split"] == "train", c].sum()) for c in ("thing", "cat")
    ]
    with pytest.raises(InputError, match="not boolean"):
        table_labels(truth.assign(cat=1), "concepts.parquet")
