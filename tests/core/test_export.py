"""`crossmodal export`: a stored matrix as CSV (label column first, read back by the feature-file
reader the Collell study uses) or as word2vec text (read back by gensim), exactly."""

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from gensim.models import KeyedVectors

from crossmodal.cli import main
from crossmodal.core.errors import InputError
from crossmodal.core.export import export_matrix
from crossmodal.core.io import write_matrix
from crossmodal.data.feature_files import read_features


@pytest.fixture()
def stored(tmp_path):
    rng = np.random.default_rng(0)
    scales = 10.0 ** rng.integers(-9, 9, size=(5, 1))  # 9 significant digits at any scale
    matrix = (rng.normal(size=(5, 4)) * scales).astype(np.float32)
    words = pd.DataFrame({"word": ["dog", "ice cream", 'say "hi", then', "cat", "tree"]})
    base = tmp_path / "words" / "cnn_x_pool"
    write_matrix(matrix, words, f"{base}.npy", f"{base}.words.parquet")
    return base, matrix, words["word"].tolist()


def test_csv_has_the_label_first_and_reads_back_exactly(stored, tmp_path):
    base, matrix, words = stored
    assert export_matrix(base, tmp_path / "out.csv") == 5
    back, labels = read_features(tmp_path / "out.csv", label_column=True)
    assert labels == words
    np.testing.assert_array_equal(back.astype(np.float32), matrix)
    assert (tmp_path / "out.csv").read_text().splitlines()[0].startswith("dog,")


def test_word2vec_text_reads_back_with_gensim(stored, tmp_path):
    base, matrix, words = stored
    export_matrix(f"{base}.npy", tmp_path / "out.vec")
    vectors = KeyedVectors.load_word2vec_format(tmp_path / "out.vec", binary=False)
    assert vectors.index_to_key[:2] == ["dog", "ice_cream"]  # spaces become underscores
    np.testing.assert_array_equal(vectors["tree"], matrix[4])
    assert (tmp_path / "out.vec").read_text().splitlines()[0] == "5 4"


def test_per_image_features_are_labelled_by_image_id(tmp_path):
    base = tmp_path / "features" / "bovw_k4"
    ids = pd.DataFrame({"image_id": ["animals/cat", "food/apple"]})
    write_matrix(np.eye(2, 4, dtype=np.float32), ids, f"{base}.npy", f"{base}.ids.parquet")
    export_matrix(base, tmp_path / "images.txt", "csv")
    assert (tmp_path / "images.txt").read_text().splitlines() == [
        "animals/cat,1,0,0,0",
        "food/apple,0,1,0,0",
    ]


@pytest.mark.bad_input
def test_command_line_errors_are_one_line(stored, tmp_path, capsys):
    base, _, _ = stored
    assert main(["export", str(tmp_path / "missing"), str(tmp_path / "x.csv")]) == 1
    assert "missing.npy: file not found" in capsys.readouterr().err
    assert main(["export", str(base), str(tmp_path / "x.json")]) == 1
    assert "say --format csv or word2vec" in capsys.readouterr().err
    clash = pd.DataFrame({"word": ["ice cream", "ice_cream"]})
    write_matrix(np.zeros((2, 2), np.float32), clash, f"{base}.npy", f"{base}.words.parquet")
    with pytest.raises(InputError, match="same word with spaces as underscores"):
        export_matrix(base, tmp_path / "x.txt")
    assert not (tmp_path / "x.txt").exists()


def test_python_dash_m_runs_the_command(stored, tmp_path):
    base, _, _ = stored
    out = tmp_path / "m.csv"
    run = subprocess.run(
        [sys.executable, "-m", "crossmodal", "export", str(base), str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert len(out.read_text().splitlines()) == 5
