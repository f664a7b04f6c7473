"""PIXIE: the joint loss, PIXIE+ for non-visual words, resumable training, streamed pairs, the
baselines' vocabulary handling and the evaluations' coverage counts."""

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import torch
from torch import nn

import crossmodal.core.resume as resume_module
from crossmodal.core.errors import InputError
from crossmodal.models.mapping import MappingConfig
from crossmodal.pixie.baselines import concatenate, imagined_vectors, train_vae
from crossmodal.pixie.evaluation import nearest_neighbours, similarity_table
from crossmodal.pixie.model import PixieConfig
from crossmodal.pixie.optimiser import RowAdam
from crossmodal.pixie.stream import build_vocabulary, chunk_pairs, keep_probabilities
from crossmodal.pixie.training import pixie_vectors, train_pixie
from crossmodal.pixie.visual import (
    prepare_visual,
    scale_features,
    select_heldout,
    visual_of_setting,
)
from crossmodal.text.vectors import WordVectors

TOPICS = {
    "animal": ["cat", "dog", "horse", "cow", "bird"],
    "fruit": ["apple", "pear", "plum", "grape", "lemon"],
    "idea": ["truth", "hope", "faith", "logic", "doubt"],
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Lines of words from one topic each, so that co-occurrence carries the topic."""
    rng = np.random.default_rng(0)
    names = list(TOPICS)
    lines = [" ".join(rng.choice(TOPICS[names[i % 3]], size=12)) for i in range(120)]
    path = tmp_path_factory.mktemp("pixie") / "corpus.txt"
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture(scope="module")
def visual() -> WordVectors:
    """Visual vectors for the animals and fruits (not the ideas): a topic-specific pattern."""
    rng = np.random.default_rng(1)
    words, rows = [], []
    for topic, centre in (("animal", 0), ("fruit", 1)):
        for word in TOPICS[topic]:
            vector = rng.normal(0, 0.1, size=8)
            vector[centre * 4 : centre * 4 + 4] += 1
            words.append(word)
            rows.append(vector)
    return WordVectors(np.array(rows, np.float32), pd.DataFrame({"word": words}))


CONFIG = PixieConfig(
    dim=8, hidden=16, window=3, negative=3, epochs=3, batch_size=128, lr=0.02, sample=0
)


def test_vocabulary_counts_and_order(corpus: Path) -> None:
    vocabulary = build_vocabulary(corpus, 1)
    assert sorted(vocabulary["word"]) == sorted(w for ws in TOPICS.values() for w in ws)
    assert vocabulary["count"].sum() == 120 * 12
    assert vocabulary["count"].is_monotonic_decreasing
    with pytest.raises(InputError, match="min_count"):
        build_vocabulary(corpus, 10_000)


def test_joint_loss_decreases(corpus: Path, visual: WordVectors, tmp_path: Path) -> None:
    vocabulary = build_vocabulary(corpus, 1)
    trained = train_pixie(corpus, vocabulary, visual, CONFIG, tmp_path / "state.pt")
    assert len(trained.losses) == CONFIG.epochs
    assert trained.losses[-1] < 0.8 * trained.losses[0]


def test_visual_words_keep_distinct_pixie_plus_vectors(corpus: Path, tmp_path: Path) -> None:
    """Features sharing one large component (like the demo's untrained-CNN features: cosine
    ~0.9 between words even after scaling to [0, 1], as one outlying word sets each dimension's
    minimum) must not collapse the posterior means mu(x_w) onto one vector: the PIXIE+ vectors
    of different visual words stay apart, those of one topic closer than across topics. (Without
    ``standardise`` this fixture gives a mean cosine of ~0.86, ~0.77 across topics.)"""
    rng = np.random.default_rng(3)
    words, rows = [], []
    for topic, centre in (("animal", 0), ("fruit", 1)):
        for word in TOPICS[topic]:
            vector = 4.0 + rng.normal(0, 0.02, size=16)
            vector[centre * 8 : centre * 8 + 8] += 0.3
            words.append(word)
            rows.append(vector)
    rows[0] = np.zeros(16)
    shared = WordVectors(np.array(rows, np.float32), pd.DataFrame({"word": words}))
    assert _mean_cosine(scale_features(shared.matrix)[1:]) > 0.99
    config = PixieConfig(
        **{**CONFIG.__dict__, "hidden": 256, "lr": 0.05, "epochs": 3, "standardise": True}
    )
    vocabulary = build_vocabulary(corpus, 1)
    trained = train_pixie(corpus, vocabulary, shared, config, tmp_path / "state.pt")
    plus = pixie_vectors(trained, vocabulary)["plus"]
    animals, fruits = plus.rows(TOPICS["animal"]), plus.rows(TOPICS["fruit"])
    assert _mean_cosine(np.vstack([animals, fruits])) < 0.7
    within = (_mean_cosine(animals) + _mean_cosine(fruits)) / 2
    across = float(np.mean(_unit(animals) @ _unit(fruits).T))
    assert within > across + 0.1


def _unit(matrix: np.ndarray) -> np.ndarray:
    return matrix / np.linalg.norm(matrix, axis=1, keepdims=True)


def _mean_cosine(matrix: np.ndarray) -> float:
    """Mean cosine over the distinct pairs of rows."""
    cosines = _unit(matrix) @ _unit(matrix).T
    return float(cosines[np.triu_indices(len(matrix), 1)].mean())


def test_pixie_plus_is_the_text_vector_for_non_visual_words(
    corpus: Path, visual: WordVectors, tmp_path: Path
) -> None:
    vocabulary = build_vocabulary(corpus, 1)
    trained = train_pixie(corpus, vocabulary, visual, CONFIG, tmp_path / "state.pt")
    vectors = pixie_vectors(trained, vocabulary)
    text = trained.model.embeddings()["text"]
    plus, concat = vectors["plus"], vectors["concat"]
    ideas, fruits = TOPICS["idea"], TOPICS["fruit"]
    rows = plus.positions(ideas)
    np.testing.assert_array_equal(plus.rows(ideas), text[rows])
    np.testing.assert_array_equal(concat.rows(ideas)[:, CONFIG.dim :], 0)
    visual_rows = plus.positions(fruits)
    assert not np.allclose(plus.rows(fruits), text[visual_rows])
    np.testing.assert_allclose(
        concat.rows(fruits)[:, : CONFIG.dim] + concat.rows(fruits)[:, CONFIG.dim :],
        plus.rows(fruits),
        rtol=1e-5,
        atol=1e-6,
    )


def test_interrupted_training_resumes_where_it_stopped(
    corpus: Path, visual: WordVectors, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    vocabulary = build_vocabulary(corpus, 1)
    straight = train_pixie(corpus, vocabulary, visual, CONFIG, tmp_path / "straight.pt")
    save = resume_module.save_state
    calls = {"n": 0}

    def crash_after_two(*args: object, **kwargs: object) -> None:
        save(*args, **kwargs)
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt

    monkeypatch.setattr(resume_module, "save_state", crash_after_two)
    with pytest.raises(KeyboardInterrupt):
        train_pixie(corpus, vocabulary, visual, CONFIG, tmp_path / "state.pt")
    monkeypatch.setattr(resume_module, "save_state", save)
    other = PixieConfig(**{**CONFIG.__dict__, "lr": 0.05, "epochs": 1})
    shutil.copy(tmp_path / "state.pt", tmp_path / "other.pt")  # another config's state
    assert train_pixie(corpus, vocabulary, visual, other, tmp_path / "other.pt").resumed_epochs == 0
    resumed = train_pixie(corpus, vocabulary, visual, CONFIG, tmp_path / "state.pt")
    assert resumed.resumed_epochs == 2
    np.testing.assert_allclose(resumed.losses, straight.losses, rtol=1e-6)
    np.testing.assert_allclose(
        resumed.model.embeddings()["plus"], straight.model.embeddings()["plus"], atol=1e-6
    )


def test_a_state_of_another_corpus_with_the_same_counts_is_not_resumed(
    corpus: Path, visual: WordVectors, tmp_path: Path
) -> None:
    """The corpus's lines in another order have the same vocabulary and counts, but are other
    training data: a rerun on them trains from the start."""
    vocabulary = build_vocabulary(corpus, 1)
    one_epoch = PixieConfig(**{**CONFIG.__dict__, "epochs": 1})
    train_pixie(corpus, vocabulary, visual, one_epoch, tmp_path / "state.pt")
    again = train_pixie(corpus, vocabulary, visual, one_epoch, tmp_path / "state.pt")
    assert again.resumed_epochs == 1
    reordered = tmp_path / "reordered.txt"
    reordered.write_text("".join(reversed(corpus.read_text().splitlines(keepends=True))))
    assert build_vocabulary(reordered, 1).equals(vocabulary)
    other = train_pixie(reordered, vocabulary, visual, one_epoch, tmp_path / "state.pt")
    assert other.resumed_epochs == 0


def test_pairs_stay_in_window_and_line() -> None:
    rng = np.random.default_rng(0)
    ids = np.arange(20)
    lines = np.repeat([0, 1], 10)
    centre, context = chunk_pairs(ids, lines, 3, rng)
    assert len(centre) > 0
    assert (np.abs(centre - context) <= 3).all() and (centre != context).all()
    assert (lines[centre] == lines[context]).all()
    # With a window of 1 every neighbour pair appears once in each direction: 2 x 9 per line.
    centre, context = chunk_pairs(ids, lines, 1, rng)
    assert len(centre) == 36
    assert set(zip(centre.tolist(), context.tolist(), strict=True)) == {
        (i, j) for i in range(20) for j in (i - 1, i + 1) if 0 <= j < 20 and i // 10 == j // 10
    }


def test_down_sampling_keeps_rare_words() -> None:
    keep = keep_probabilities(np.array([1000.0, 10.0, 1.0]), 0.001)
    assert keep[0] < keep[1] <= keep[2] == 1.0
    assert (keep_probabilities(np.array([5.0, 1.0]), 0) == 1).all()


def test_settings_hide_held_out_images(visual: WordVectors, corpus: Path) -> None:
    vocabulary = build_vocabulary(corpus, 1)
    heldout = select_heldout(visual.words, 0.4, None, seed=0)
    assert len(heldout) == 4 and heldout == select_heldout(visual.words, 0.4, None, seed=0)
    prepared = prepare_visual(visual, vocabulary, heldout)
    assert visual_of_setting(prepared, "all").words == prepared.words
    kept = visual_of_setting(prepared, "heldout").words
    assert set(kept) == set(visual.words) - set(heldout)
    with pytest.raises(InputError, match="hold out"):
        select_heldout(visual.words, 0.5, len(visual.words), seed=0)


def test_concatenation_covers_only_visual_words(visual: WordVectors) -> None:
    """CNN(+)SGNS and VAE(+)SGNS have no vector for a word without images (no zero visual half
    stands in for one), as in the paper."""
    words = ["cat", "truth", "apple"]
    text = WordVectors(
        np.array([[3.0, 4.0], [1.0, 0.0], [0.0, 2.0]], np.float32), pd.DataFrame({"word": words})
    )
    joined = concatenate(text, visual, "cnnsgns")
    assert joined.words == ["cat", "apple"]
    np.testing.assert_allclose(joined.vector("cat")[:2], [0.6, 0.8], rtol=1e-6)
    np.testing.assert_allclose(np.linalg.norm(joined.vector("cat")[2:]), 1.0, rtol=1e-6)
    np.testing.assert_allclose(
        joined.vector("apple")[2:],
        visual.vector("apple") / np.linalg.norm(visual.vector("apple")),
        rtol=1e-6,
    )


def test_imagined_vectors_reach_words_without_images(visual: WordVectors) -> None:
    rng = np.random.default_rng(2)
    words = visual.words + ["truth", "hope"]
    text = WordVectors(
        rng.normal(size=(len(words), 4)).astype(np.float32), pd.DataFrame({"word": words})
    )
    config = MappingConfig(model="lin", epochs=5, batch_size=4)
    imagined = imagined_vectors(text, visual, config, "ivsgnslin")
    assert imagined.dim == 4 + visual.dim
    assert np.linalg.norm(imagined.vector("truth")[4:]) == pytest.approx(1.0, rel=1e-5)


def test_vae_baseline_gives_one_code_per_visual_word(visual: WordVectors) -> None:
    codes = train_vae(visual, CONFIG, epochs=3, batch_size=4)
    assert codes.words == visual.words and codes.dim == CONFIG.dim
    assert np.isfinite(codes.matrix).all()


def test_coverage_counts_are_exact() -> None:
    vectors = WordVectors(
        np.array([[1.0, 0.0], [0.9, 0.1], [0.0, 1.0], [0.5, 0.5]], np.float32),
        pd.DataFrame({"word": ["cat", "dog", "idea", "fish"]}),
    )
    pairs = pd.DataFrame(
        {
            "word1": ["cat", "Cat", "cat", "idea", "zebra", "dog"],
            "word2": ["dog", "idea", "unicorn", "fish", "cat", "fish"],
            "score": [9.0, 1.0, 5.0, 3.0, 4.0, 6.0],
        }
    )
    table = similarity_table({"m": vectors}, {"hand": pairs}, ["cat", "dog", "fish", "zebra"])
    row = table[table["pairs"] == "all"].iloc[0]
    assert (row["scored"], row["total"]) == (4, 6)
    assert row["share"] == pytest.approx(4 / 6)
    assert np.isfinite(row["rho"])
    visual = table[table["pairs"] == "visual"].iloc[0]
    assert (visual["scored"], visual["total"]) == (2, 6) and np.isnan(visual["rho"])


def test_neighbours_exclude_the_probe_and_show_gaps() -> None:
    vectors = WordVectors(
        np.array([[1.0, 0.0], [0.9, 0.1], [0.0, 1.0]], np.float32),
        pd.DataFrame({"word": ["cat", "dog", "idea"]}),
    )
    table = nearest_neighbours(vectors, ["cat", "unicorn"], 2, "m")
    cat = table[table["probe"] == "cat"]
    assert list(cat["neighbour"]) == ["dog", "idea"] and list(cat["rank"]) == [1, 2]
    gap = table[table["probe"] == "unicorn"]
    assert len(gap) == 1 and gap["neighbour"].isna().all()


def test_vsgns_maps_visual_words_near_their_images(
    corpus: Path, visual: WordVectors, tmp_path: Path
) -> None:
    """Trained V-SGNS (the max-margin term on M e_w): each visual word's mapped embedding is
    nearer (by cosine) its own visual vector than the other topic's; its representation is e_w,
    with no visual code added."""
    vocabulary = build_vocabulary(corpus, 1)
    config = PixieConfig(**{**CONFIG.__dict__, "visual": "margin", "standardise": True})
    trained = train_pixie(corpus, vocabulary, visual, config, tmp_path / "state.pt")
    model = trained.model
    assert set(model.embeddings()) == {"text"}
    with torch.no_grad():
        words = visual.words
        rows = torch.as_tensor(vocabulary.set_index("word").index.get_indexer(words))
        mapped = nn.functional.normalize(model.projection(model.words.weight[rows]), dim=1)
        targets = nn.functional.normalize(model.features[model.rows[rows]], dim=1)
        cosines = (mapped @ targets.T).numpy()
    own = np.diag(cosines)
    n = len(TOPICS["animal"])
    other_topic = np.concatenate([cosines[:n, n:].mean(axis=1), cosines[n:, :n].mean(axis=1)])
    assert (own > other_topic).all()


def test_visual_model_needs_visual_words(corpus: Path, tmp_path: Path) -> None:
    vocabulary = build_vocabulary(corpus, 1)
    stranger = WordVectors(np.ones((1, 3), np.float32), pd.DataFrame({"word": ["zebra"]}))
    with pytest.raises(InputError, match="no visual word"):
        train_pixie(corpus, vocabulary, stranger, CONFIG, tmp_path / "s.pt")


def test_row_adam_matches_sparse_adam() -> None:
    """The lazy Adam on touched rows takes the steps torch.optim.SparseAdam takes from the same
    sparse gradients: rows a batch does not touch keep their values and moments."""
    generator = torch.Generator().manual_seed(0)
    start = torch.randn(30, 4, generator=generator)
    table = start.clone()
    reference = nn.Embedding.from_pretrained(start.clone(), freeze=False, sparse=True)
    sparse = torch.optim.SparseAdam(reference.parameters(), lr=0.05)
    lazy = RowAdam([table], lr=0.05)
    for _ in range(5):
        ids = torch.randint(0, 30, (12,), generator=generator)
        target = torch.randn(12, 4, generator=generator)
        sparse.zero_grad()
        (reference(ids) - target).pow(2).sum().backward()
        sparse.step()
        rows, inverse = torch.unique(ids, return_inverse=True)
        gathered = table[rows].requires_grad_()
        (gathered[inverse] - target).pow(2).sum().backward()
        lazy.step([(rows, gathered.grad)])
    torch.testing.assert_close(table, reference.weight.detach(), rtol=1e-5, atol=1e-6)
    untouched = (table == start).all(dim=1)
    assert untouched.any() and (reference.weight.detach()[untouched] == start[untouched]).all()
