"""The codebook job's memory request follows its descriptor sample: training images only,
capped by max_images, and "not known yet" (FileNotFoundError naming the table) before the table
exists."""

import pandas as pd
import pytest

from crossmodal.features import sift, sizing


def table(tmp_path, splits):
    path = tmp_path / "images.parquet"
    pd.DataFrame({"image_id": [str(i) for i in range(len(splits))], "split": splits}).to_parquet(
        path
    )
    return path


def test_request_counts_the_training_images_only(tmp_path):
    path = table(tmp_path, ["train"] * 3000 + ["test"] * 1000 + [None] * 5)
    assert sizing.training_rows(path) == 3000
    # 3000 x 200 descriptors x 128 x 6 bytes = 460.8 MB at the peak, 10 % on top: 507 MB.
    assert sizing.codebook_mem_mb(path, 200, None) == sizing.BASE_MB + 507


def test_max_images_caps_the_request(tmp_path):
    path = table(tmp_path, ["train"] * 3000)
    assert sizing.codebook_mem_mb(path, 200, 1000) == sizing.codebook_mem_mb(
        table(tmp_path, ["train"] * 1000), 200, None
    )


def test_a_table_not_built_yet_is_file_not_found_naming_it(tmp_path):
    missing = tmp_path / "results/data/x/images.parquet"
    with pytest.raises(FileNotFoundError) as caught:
        sizing.codebook_mem_mb(missing, 200, None)
    assert caught.value.filename == str(missing)


def test_descriptor_length_is_sifts():
    assert sizing.DESCRIPTOR_DIM == sift.DESCRIPTOR_DIM
