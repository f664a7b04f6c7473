"""Image-sentence retrieval: R@K on constructed rankings, the ranking loss, training on a
separable toy set, resuming interrupted training and the caption splits."""

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import torch

import crossmodal.pixie.retrieval as retrieval
from crossmodal.pixie.retrieval import (
    RetrievalConfig,
    captioned_split,
    encode_sentences,
    ranking_loss,
    recall_at_k,
    train_retrieval,
)
from crossmodal.text.vectors import WordVectors


def test_recall_with_known_ranks() -> None:
    # Three images on axes; four sentences. Sentence 0 and 1 belong to image 0, 2 to image 1,
    # 3 to image 2. Scores = images @ sentences.T.
    images = np.eye(3)
    sentences = np.array(
        [
            [0.2, 0.9, 0.0],  # image 0 ranks it below s1 and s3
            [0.5, 0.0, 0.0],  # image 0's best caption
            [0.0, 1.0, 0.0],  # image 1: rank 0
            [0.9, 0.0, 0.3],  # image 2: its only caption
        ]
    )
    # Image 0's scores over sentences: [0.2, 0.5, 0.0, 0.9]: own captions s0 rank 2, s1 rank 1
    # -> best rank 1. Image 1: [0.9, 0, 1.0, 0] -> s2 rank 0. Image 2: [0, 0, 0, 0.3] -> rank 0.
    # Sentence -> image: s0 scores [0.2, 0.9, 0] -> image 0 rank 1; s1 [0.5, 0, 0] rank 0;
    # s2 [0, 1, 0] rank 0; s3 [0.9, 0, 0.3] -> image 2 rank 1.
    owner = np.array([0, 0, 1, 2])
    scores = recall_at_k(images, sentences, owner, [1, 2])
    assert scores["i2t_r1"] == pytest.approx(100 * 2 / 3)
    assert scores["i2t_r2"] == pytest.approx(100.0)
    assert scores["t2i_r1"] == pytest.approx(50.0)
    assert scores["t2i_r2"] == pytest.approx(100.0)


def test_ranking_loss_is_zero_only_with_the_margin_met() -> None:
    images = torch.eye(3)
    assert float(ranking_loss(images, images.clone(), 0.2)) == 0.0
    assert float(ranking_loss(images, images.clone(), 1.5)) > 0.0
    swapped = images[[1, 0, 2]]
    assert float(ranking_loss(images, swapped, 0.2)) > float(ranking_loss(images, images, 0.2))


def test_unknown_words_share_one_row() -> None:
    vectors = WordVectors(np.eye(2, dtype=np.float32), pd.DataFrame({"word": ["red", "cat"]}))
    ids, lengths = encode_sentences([["a", "red", "cat"], []], vectors)
    assert ids.tolist() == [[1, 2, 3], [1, 0, 0]] and lengths.tolist() == [3, 1]


def _toy_set() -> tuple[WordVectors, np.ndarray, list[list[str]], np.ndarray]:
    """Four coloured balls, one image each, described 8 times each."""
    words = ["red", "green", "blue", "yellow", "the", "ball"]
    rng = np.random.default_rng(0)
    vectors = WordVectors(
        rng.normal(size=(len(words), 8)).astype(np.float32), pd.DataFrame({"word": words})
    )
    colours = words[:4]
    features = np.eye(4, dtype=np.float32) + rng.normal(0, 0.01, size=(4, 4)).astype(np.float32)
    sentences = [["the", colour, "ball"] for colour in colours] * 8
    owner = np.tile(np.arange(4), 8)
    return vectors, features, sentences, owner


def test_training_learns_a_separable_toy_set() -> None:
    vectors, features, sentences, owner = _toy_set()
    config = RetrievalConfig(joint_dim=16, lr=0.01, epochs=30, batch_size=8)
    model, losses = train_retrieval(
        vectors, features, sentences, owner, config, torch.device("cpu")
    )
    assert losses[-1] < 0.5 * losses[0]
    ids, lengths = encode_sentences(sentences[:4], vectors)
    image, sentence = model.embed(features, ids, lengths)
    assert recall_at_k(image, sentence, np.arange(4), [1])["t2i_r1"] == 100.0


def test_interrupted_training_resumes_where_it_stopped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run killed in the middle of epoch 3 (after two saved epochs) and rerun trains only the
    epochs not saved, and ends with the weights and losses of an uninterrupted run."""
    vectors, features, sentences, owner = _toy_set()
    config = RetrievalConfig(joint_dim=16, lr=0.01, epochs=4, batch_size=8)  # 4 steps an epoch
    cpu = torch.device("cpu")
    straight, straight_losses = train_retrieval(vectors, features, sentences, owner, config, cpu)
    step = retrieval._train_step
    calls = {"n": 0}

    def killed_in_epoch_three(*args: object, **kwargs: object) -> float:
        calls["n"] += 1
        if calls["n"] == 2 * 4 + 2:
            raise KeyboardInterrupt
        return step(*args, **kwargs)

    monkeypatch.setattr(retrieval, "_train_step", killed_in_epoch_three)
    state = tmp_path / "state.pt"
    with pytest.raises(KeyboardInterrupt):
        train_retrieval(vectors, features, sentences, owner, config, cpu, state)
    calls["n"] = -1000  # no more kills; count the steps of the reruns
    shutil.copy(state, tmp_path / "other.pt")  # the state of another config is not resumed
    other = RetrievalConfig(**{**config.__dict__, "lr": 0.02})
    train_retrieval(vectors, features, sentences, owner, other, cpu, tmp_path / "other.pt")
    assert calls["n"] == -1000 + 4 * 4
    calls["n"] = -1000
    resumed, resumed_losses = train_retrieval(
        vectors, features, sentences, owner, config, cpu, state
    )
    assert calls["n"] == -1000 + 2 * 4  # epochs 3 and 4 only
    assert resumed_losses == straight_losses
    for part in ("sentences", "images"):
        expected = getattr(straight, part).state_dict()
        for name, value in getattr(resumed, part).state_dict().items():
            assert torch.equal(value, expected[name]), f"{part}.{name}"


def test_captioned_split_pairs_captions_with_feature_rows() -> None:
    features = np.arange(12, dtype=np.float32).reshape(4, 3)
    ids = pd.DataFrame({"image_id": ["a", "b", "c", "d"]})
    images = pd.DataFrame(
        {
            "image_id": ["d", "b", "a", "c"],
            "caption": ["A dog.", "A Ball", "", "Cat"],
            "split": ["test", "test", "test", "train"],
        }
    )
    own = captioned_split(features, ids, images, None, "test")
    assert own.sentences == [["dog"], ["ball"]]
    np.testing.assert_array_equal(own.features[own.sentence_image], features[[3, 1]])
    captions = pd.DataFrame(
        {"image_id": ["b", "b", "d"], "tokens": [["A", "ball"], ["red"], ["dog"]]}
    )
    five = captioned_split(features, ids, images, captions, "test")
    assert five.sentences == [["a", "ball"], ["red"], ["dog"]]
    np.testing.assert_array_equal(five.features[five.sentence_image], features[[1, 1, 3]])


def test_training_leaves_the_word_vectors_unchanged() -> None:
    """As in the paper, the word vectors under test are not fine-tuned (the default): after
    training, the sentence encoder's embedding rows are the vectors exactly, and padding and
    unknown-word rows are still zero; only the GRU and the image map moved."""
    vectors, features, sentences, owner = _toy_set()
    config = RetrievalConfig(joint_dim=16, lr=0.01, epochs=3, batch_size=8)
    assert not config.train_embeddings
    cpu = torch.device("cpu")
    model, losses = train_retrieval(vectors, features, sentences, owner, config, cpu)
    table = model.sentences.embedding.weight.detach()
    assert not model.sentences.embedding.weight.requires_grad
    np.testing.assert_array_equal(table[2:].numpy(), vectors.matrix)
    assert not table[:2].any()
    untrained, _ = retrieval._build(vectors, features.shape[1], config, cpu)[:2]
    gru = dict(model.sentences.gru.named_parameters())
    assert any(not torch.equal(p, gru[n]) for n, p in untrained.sentences.gru.named_parameters())
    tuned = RetrievalConfig(**{**config.__dict__, "train_embeddings": True})
    moved, _ = train_retrieval(vectors, features, sentences, owner, tuned, cpu)
    assert not np.array_equal(moved.sentences.embedding.weight.detach()[2:].numpy(), vectors.matrix)


def test_learning_rate_is_divided_on_schedule() -> None:
    """Adam's rate is divided by lr_decay every lr_decay_every epochs (the paper: /10 every 15
    of 30 epochs)."""
    vectors, features, _, _ = _toy_set()
    config = RetrievalConfig(joint_dim=8, lr=0.1, epochs=6, lr_decay_every=2, lr_decay=0.1)
    _, _, optimiser, schedule = retrieval._build(vectors, 4, config, torch.device("cpu"))
    rates = []
    for _ in range(config.epochs):
        rates.append(optimiser.param_groups[0]["lr"])
        optimiser.step()
        schedule.step()
    np.testing.assert_allclose(rates, [0.1, 0.1, 0.01, 0.01, 0.001, 0.001])
