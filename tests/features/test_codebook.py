"""Codebook and bag of visual words on real Tux Paint stamps: training-only fitting, seeded
determinism, L1-normalised histograms that match a brute-force assignment, clear errors."""

import logging
from pathlib import Path

import cv2
import numpy as np
import pandas as pd
import pytest

from crossmodal.core.errors import InputError
from crossmodal.features import codebook
from crossmodal.features.codebook import (
    bovw_features,
    bovw_shard,
    codebook_from_images,
    fit_codebook,
    inertia,
    sample_descriptors,
    training_images,
)
from crossmodal.features.sift import DenseSift

STAMPS = Path("/usr/share/tuxpaint/stamps")
pytestmark = pytest.mark.skipif(
    not STAMPS.is_dir(), reason="Debian package tuxpaint-stamps-default is not installed"
)
SIFT = DenseSift(max_side=96, step=8, patch=16)
K = 16


@pytest.fixture(scope="module")
def images():
    """Eight PNG and four SVG stamps; every third one is a test image."""
    paths = sorted(STAMPS.rglob("*.png"))[:8] + sorted(STAMPS.rglob("*.svg"))[:4]
    return pd.DataFrame(
        {
            "image_id": [p.relative_to(STAMPS).with_suffix("").as_posix() for p in paths],
            "path": [str(p) for p in paths],
            "split": ["test" if i % 3 == 2 else "train" for i in range(len(paths))],
        }
    ).astype("string")


def fit(table, seed=0, threads=1):
    return codebook_from_images(table, "images.parquet", SIFT, K, 50, None, 10, 256, seed, threads)


def test_sample_is_seeded_and_independent_of_the_number_of_threads(images):
    paths = images["path"].tolist()[:4]
    one = sample_descriptors(paths, SIFT, 30, seed=3, threads=1)
    two = sample_descriptors(paths, SIFT, 30, seed=3, threads=2)
    other = sample_descriptors(paths, SIFT, 30, seed=4, threads=1)
    assert one.shape == (4 * 30, 128) and one.dtype == np.float32
    np.testing.assert_array_equal(one, two)
    assert not np.array_equal(one, other)


def test_codebook_is_deterministic_under_a_fixed_seed(images):
    first, again, other = fit(images), fit(images), fit(images, seed=1)
    assert first.shape == (K, 128) and first.dtype == np.float32
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, other)


def test_codebook_fit_uses_only_training_images(images, tmp_path):
    # Point every test image at a file that cannot be read: fitting must never open it.
    broken = tmp_path / "not_an_image.png"
    broken.write_text("text")
    poisoned = images.copy()
    poisoned.loc[poisoned["split"] == "test", "path"] = str(broken)
    train_only = images[images["split"] == "train"]
    np.testing.assert_array_equal(fit(poisoned), fit(train_only))


def test_max_images_takes_a_seeded_subset_of_training_images(images):
    subset = training_images(images, "images.parquet", max_images=3, seed=0)
    assert len(subset) == 3 and set(subset["split"]) == {"train"}
    again = training_images(images, "images.parquet", max_images=3, seed=0)
    assert subset["image_id"].tolist() == again["image_id"].tolist()
    # Row order of the table does not change the sample.
    shuffled = training_images(images.iloc[::-1], "images.parquet", max_images=3, seed=0)
    assert shuffled["image_id"].tolist() == subset["image_id"].tolist()


def test_no_training_image_is_an_input_error_naming_the_table(images):
    with pytest.raises(InputError, match=r"images.parquet: no image with split == 'train'"):
        training_images(images.assign(split="test"), "images.parquet", None, 0)


def test_too_few_descriptors_for_k_is_an_input_error_naming_the_key():
    sample = np.zeros((10, 128), np.float32)
    with pytest.raises(InputError, match=r"vision.codebook.k: 16 visual words need .* got 10"):
        fit_codebook(sample, K, 10, 256, 0, 1)


def test_kmeans_lowers_inertia_below_random_centres(images):
    sample = sample_descriptors(images["path"].tolist(), SIFT, 50, 0, 1)
    centres = fit_codebook(sample, K, 10, 256, 0, 1)
    random_centres = sample[np.random.default_rng(0).choice(len(sample), K, replace=False)]
    assert inertia(sample, centres) < inertia(sample, random_centres)


def test_bovw_rows_are_l1_normalised_and_match_brute_force_assignment(images):
    centres = fit(images)
    matrix, index = bovw_features(images, SIFT, centres, threads=2)
    assert matrix.shape == (len(images), K) and matrix.dtype == np.float32
    assert index["image_id"].tolist() == images["image_id"].tolist()  # test images too
    assert (matrix >= 0).all()
    np.testing.assert_allclose(matrix.sum(axis=1), 1.0, rtol=1e-5)
    for row, path in [(0, images["path"][0]), (11, images["path"][11])]:
        descriptors = SIFT(path).astype(np.float64)
        distances = ((descriptors[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)
        expected = np.bincount(distances.argmin(axis=1), minlength=K) / len(descriptors)
        np.testing.assert_allclose(matrix[row], expected, atol=1e-6)


def test_image_without_descriptors_gets_a_uniform_row_and_a_warning(images, tmp_path, caplog):
    sliver = tmp_path / "sliver.png"
    cv2.imwrite(str(sliver), np.full((2, 200, 3), 40, np.uint8))  # 96 x 1 px after scaling
    table = pd.concat(
        [images.iloc[:2], pd.DataFrame({"image_id": ["sliver"], "path": [str(sliver)]})]
    )
    with caplog.at_level(logging.WARNING):
        matrix, _ = bovw_features(table, SIFT, fit(images), threads=1)
    np.testing.assert_allclose(matrix[2], np.full(K, 1 / K))
    assert "sliver" in caplog.text and "uniform histogram" in caplog.text


def test_shards_of_the_encoding_give_the_rows_of_the_whole_table(images, monkeypatch):
    # Blocks of 4 images: 12 images are 3 blocks, so 5 shards give 2 empty ones.
    monkeypatch.setattr(codebook, "ENCODE_BLOCK", 4)
    centres = fit(images)
    whole, index = bovw_features(images, SIFT, centres, threads=2)
    parts = [bovw_shard(images, SIFT, centres, 2, shard, 5) for shard in range(5)]
    assert [len(matrix) for matrix, _ in parts] == [0, 4, 0, 4, 4]
    assert all(matrix.shape[1] == K for matrix, _ in parts)
    np.testing.assert_array_equal(np.concatenate([matrix for matrix, _ in parts]), whole)
    ids = pd.concat([ids for _, ids in parts], ignore_index=True)
    pd.testing.assert_frame_equal(ids, index)
