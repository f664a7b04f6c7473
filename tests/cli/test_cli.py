"""The ``crossmodal`` command: each subcommand run as a subprocess on small files (and on one bad
file each), its numbers checked against the workflow's own functions and scikit-learn; the
rest of its options run in-process through ``main``."""

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from gensim.models import KeyedVectors
from gensim.test.utils import datapath
from scipy.stats import spearmanr
from sklearn.neighbors import NearestNeighbors

import crossmodal
from crossmodal.cli import RUNNERS, arguments, main
from crossmodal.core.io import write_matrix
from crossmodal.data.paired_files import PAIRINGS
from crossmodal.data.wordsim import FORMATS, parse_benchmark
from crossmodal.metrics.neighbours import METRICS, mnno, overlap_counts
from crossmodal.metrics.similarity import cover, spearman
from crossmodal.text.vector_files import VECTOR_FORMATS
from crossmodal.text.vectors import WordVectors

SRC = Path(crossmodal.__file__).resolve().parents[1]
ROOT = SRC.parent


def run(*args: str) -> subprocess.CompletedProcess:
    """``python -m crossmodal ARGS`` on the sources under test (not the venv's install)."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]),
    }
    return subprocess.run(
        [sys.executable, "-m", "crossmodal", *args],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )


def sklearn_lists(data: np.ndarray, k: int, metric: str, include_self: bool = False):
    """Brute-force reference lists and distances: the fitted set queried with itself returns each
    row first (continuous random data: no ties)."""
    search = NearestNeighbors(n_neighbors=k + 1, metric=metric, algorithm="brute").fit(data)
    distances, indices = search.kneighbors(data)
    assert (indices[:, 0] == np.arange(len(data))).all()
    if include_self:
        return indices[:, :k], distances[:, :k]
    return indices[:, 1:], distances[:, 1:]


def write_csv(path: Path, matrix: np.ndarray, labels: list[str] | None) -> None:
    frame = pd.DataFrame(matrix)
    if labels is not None:
        frame.insert(0, "label", labels)
    frame.to_csv(path, header=False, index=False)


@pytest.fixture
def sets(tmp_path):
    """A (120 x 16) and B, a noisy linear image of A (120 x 24), as labelled CSV files; B's
    file holds 90 of the items, shuffled, so that pairing must go by the labels."""
    rng = np.random.default_rng(3)
    a = rng.standard_normal((120, 16))
    b = a @ rng.standard_normal((16, 24)) + 2 * rng.standard_normal((120, 24))
    words = [f"item{i}" for i in range(120)]
    order = rng.permutation(120)[:90]
    write_csv(tmp_path / "a.csv", a, words)
    write_csv(tmp_path / "b.csv", b[order], [words[i] for i in order])
    return a, b, order


def test_help_lists_every_subcommand_and_the_entry_point_is_declared():
    result = run("--help")
    assert result.returncode == 0, result.stderr
    for command in ("mnno", "neighbours", "wordsim", "export"):
        assert f"    {command}" in result.stdout
    assert set(RUNNERS) == {"mnno", "neighbours", "wordsim", "export"}
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert pyproject["project"]["scripts"]["crossmodal"] == "crossmodal.cli:main"


def test_help_and_the_package_root_import_nothing_heavy():
    """``crossmodal --help`` and ``import crossmodal`` must not wait for torch (about 2.5 s);
    the public names load their modules on first use."""
    code = (
        "import sys, crossmodal, contextlib, io\n"
        "from crossmodal.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        "    main(['--help'])\n"
        "print(sorted(m for m in ('torch', 'faiss', 'pandas', 'numpy', 'gensim') "
        "if m in sys.modules))\n"
        "crossmodal.mnno\n"
        "print('torch' in sys.modules)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert result.stdout.split("\n")[:2] == ["[]", "True"]


def test_choices_agree_with_the_modules_that_define_them():
    assert arguments.METRICS == METRICS
    assert arguments.PAIRINGS == PAIRINGS
    assert arguments.BENCHMARK_FORMATS == tuple(FORMATS)
    assert arguments.VECTOR_FORMATS == VECTOR_FORMATS


def test_mnno_pairs_on_labels_and_matches_the_workflow_and_sklearn(sets, tmp_path):
    a, b, order = sets
    result = run(
        "mnno",
        str(tmp_path / "a.csv"),
        str(tmp_path / "b.csv"),
        "-k",
        "5",
        "--json",
        "--per-item",
        str(tmp_path / "per_item.csv"),
    )
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    # B's items in A's row order: the items both files label
    shared = np.sort(order)
    assert summary["mnno"] == mnno(a[shared], b[shared], 5)
    reference = overlap_counts(
        sklearn_lists(a[shared], 5, "cosine")[0], sklearn_lists(b[shared], 5, "cosine")[0]
    )
    assert summary["mnno"] == pytest.approx(reference.mean() / 5, abs=1e-12)
    assert summary["chance"] == pytest.approx(5 / 89)
    assert (summary["items"], summary["paired_on"], summary["unmatched"]) == (
        90,
        "labels",
        {"A": 30, "B": 0},
    )
    per_item = pd.read_csv(tmp_path / "per_item.csv")
    assert per_item["item"].tolist() == [f"item{i}" for i in shared]
    assert (per_item["overlap"].to_numpy() == reference).all()
    np.testing.assert_allclose(per_item["share"], reference / 5)


@pytest.mark.parametrize("metric", ["cosine", "euclidean"])
@pytest.mark.parametrize("include_self", [False, True])
def test_mnno_of_row_aligned_npy_files(metric, include_self, tmp_path, capsys):
    rng = np.random.default_rng(5)
    a = rng.standard_normal((80, 10)).astype(np.float32)
    b = a + rng.standard_normal((80, 10)).astype(np.float32)
    np.save(tmp_path / "a.npy", a)
    np.save(tmp_path / "b.npy", b)
    args = ["mnno", str(tmp_path / "a.npy"), str(tmp_path / "b.npy"), "-k", "4", "--json"]
    args += ["--metric", metric] + (["--include-self"] if include_self else [])
    assert main(args) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["paired_on"] == "rows"
    assert summary["mnno"] == mnno(a, b, 4, metric, include_self)
    lists = [sklearn_lists(x, 4, metric, include_self)[0] for x in (a, b)]
    assert summary["mnno"] == pytest.approx(overlap_counts(*lists).mean() / 4, abs=1e-12)
    chance = (1 + 3**2 / 79) / 4 if include_self else 4 / 79
    assert summary["chance"] == pytest.approx(chance)


def test_mnno_prints_a_readable_result(sets, tmp_path, capsys):
    assert main(["mnno", str(tmp_path / "a.csv"), str(tmp_path / "b.csv")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("mNNO@10 = 0.")
    assert "90 items paired on labels; unmatched rows: A 30, B 0" in lines[0]
    assert lines[1].startswith(f"chance = {10 / 89:.4f}")


def test_npy_files_are_labelled_by_the_index_the_workflow_writes_beside_them(tmp_path, capsys):
    """Two stored word matrices in different word orders pair on their words, never by rows."""
    rng = np.random.default_rng(1)
    words = [f"w{i}" for i in range(40)]
    a, b = rng.standard_normal((40, 6)), rng.standard_normal((40, 5))
    reverse = list(reversed(range(40)))
    write_matrix(a, pd.DataFrame({"word": words}), tmp_path / "a.npy", tmp_path / "a.words.parquet")
    write_matrix(
        b[reverse],
        pd.DataFrame({"word": [words[i] for i in reverse]}),
        tmp_path / "b.npy",
        tmp_path / "b.vocab.parquet",
    )
    assert (
        main(["mnno", str(tmp_path / "a.npy"), str(tmp_path / "b.npy"), "-k", "3", "--json"]) == 0
    )
    summary = json.loads(capsys.readouterr().out)
    assert summary["paired_on"] == "labels"
    assert summary["mnno"] == mnno(a, b, 3)


@pytest.mark.bad_input
def test_mnno_of_a_file_with_a_header_is_one_error_line(sets, tmp_path):
    text = (tmp_path / "a.csv").read_text()
    (tmp_path / "a.csv").write_text("word," + ",".join(f"f{i}" for i in range(16)) + "\n" + text)
    result = run("mnno", str(tmp_path / "a.csv"), str(tmp_path / "b.csv"))
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"error: {tmp_path / 'a.csv'}: line 1 (word, f0, f1, f2, ...) is a header, not an item: "
        "write the file without one (pandas: header=False), or pass --header to skip it"
    ]
    assert main(["mnno", str(tmp_path / "a.csv"), str(tmp_path / "b.csv"), "--header"]) == 0


@pytest.mark.bad_input
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--pair", "rows"],
            "b.csv: 120 A rows but 90 B rows; expected row-aligned files",
        ),
        (["-k", "90"], "a.csv: 90 items cannot give k=90 neighbours (need 1 <= k <= N-1)"),
        (["--no-labels"], "row 1 has 'item0' where a number was expected (drop --no-labels if "),
    ],
)
def test_mnno_bad_input_is_one_line_naming_the_file(sets, tmp_path, capsys, args, message):
    assert main(["mnno", str(tmp_path / "a.csv"), str(tmp_path / "b.csv"), *args]) == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and err[0].startswith("error: ") and message in err[0]


@pytest.mark.bad_input
def test_labels_that_repeat_cannot_be_paired_on(tmp_path, capsys):
    rng = np.random.default_rng(0)
    write_csv(tmp_path / "a.csv", rng.standard_normal((6, 3)), ["x", "y", "x", "z", "u", "v"])
    write_csv(tmp_path / "b.csv", rng.standard_normal((6, 3)), ["v", "u", "z", "x", "y", "w"])
    assert main(["mnno", str(tmp_path / "a.csv"), str(tmp_path / "b.csv"), "-k", "2"]) == 1
    assert "label 'x' is on rows 1 and 3; labels must be unique" in capsys.readouterr().err


def test_usage_errors_exit_with_status_2(tmp_path):
    result = run("mnno", str(tmp_path / "a.csv"))
    assert result.returncode == 2
    assert "the following arguments are required: B" in result.stderr
    assert main_status(["mnno", "a", "b", "--metric", "manhattan"]) == 2


def main_status(args: list[str]) -> int:
    with pytest.raises(SystemExit) as exit_:
        main(args)
    return int(exit_.value.code)


def test_neighbours_match_sklearn_with_distances(tmp_path):
    rng = np.random.default_rng(9)
    vectors = rng.standard_normal((70, 12))
    labels = [f"v{i}" for i in range(70)]
    write_csv(tmp_path / "v.csv", vectors, labels)
    result = run(
        "neighbours", str(tmp_path / "v.csv"), "-k", "4", "--out", str(tmp_path / "nn.parquet")
    )
    assert result.returncode == 0, result.stderr
    table = pd.read_parquet(tmp_path / "nn.parquet")
    indices, distances = sklearn_lists(vectors, 4, "cosine")
    assert table.columns.tolist() == [
        "row",
        "item",
        "rank",
        "neighbour_row",
        "neighbour",
        "distance",
    ]
    assert (table["neighbour_row"].to_numpy().reshape(70, 4) == indices).all()
    assert (table["rank"].to_numpy().reshape(70, 4) == np.arange(1, 5)).all()
    np.testing.assert_allclose(table["distance"].to_numpy().reshape(70, 4), distances, atol=1e-12)
    assert table["neighbour"].tolist() == [labels[i] for i in indices.reshape(-1)]


def test_neighbours_euclidean_with_self_of_an_unlabelled_csv(tmp_path, capsys):
    rng = np.random.default_rng(2)
    vectors = rng.standard_normal((50, 7))
    write_csv(tmp_path / "v.csv", vectors, None)
    out = tmp_path / "nn.csv"
    args = ["neighbours", str(tmp_path / "v.csv"), "--no-labels", "-k", "3", "--out", str(out)]
    assert main([*args, "--metric", "euclidean", "--include-self"]) == 0
    table = pd.read_csv(out)
    indices, distances = sklearn_lists(vectors, 3, "euclidean", include_self=True)
    assert table.columns.tolist() == ["row", "rank", "neighbour_row", "distance"]
    assert (table["neighbour_row"].to_numpy().reshape(50, 3) == indices).all()
    found = table["distance"].to_numpy().reshape(50, 3)
    assert (found[:, 0] == 0).all()  # the row itself
    # scikit-learn's |x|^2 - 2 x.y + |y|^2 leaves up to 6e-8 where the distance is 0
    np.testing.assert_allclose(found, distances, atol=1e-7)
    assert capsys.readouterr().out == f"50 x 3 neighbours (euclidean) -> {out}\n"


@pytest.mark.bad_input
def test_neighbours_of_a_file_with_a_nan_is_one_error_line(tmp_path):
    (tmp_path / "v.csv").write_text("a,1,2\nb,3,nan\nc,5,6\n")
    result = run(
        "neighbours", str(tmp_path / "v.csv"), "-k", "1", "--out", str(tmp_path / "nn.parquet")
    )
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"error: {tmp_path / 'v.csv'}: row 2 has a NaN or infinite feature"
    ]
    assert not (tmp_path / "nn.parquet").exists()


@pytest.fixture
def word_vectors(tmp_path):
    """Vectors for two thirds of the words of gensim's WordSim-353 copy (the rest are out of
    vocabulary), in the word2vec text format, and the benchmark's pairs as the workflow parses
    them."""
    path = datapath("wordsim353.tsv")
    benchmark = parse_benchmark(Path(path).read_text(encoding="utf-8"), "ws353", path).pairs
    words = sorted(set(benchmark["word1"]) | set(benchmark["word2"]))
    rng = np.random.default_rng(4)
    kept = [w for w in words if rng.random() < 2 / 3]
    vectors = WordVectors(
        rng.standard_normal((len(kept), 25)).astype(np.float32), pd.DataFrame({"word": kept})
    )
    keyed = KeyedVectors(25)
    keyed.add_vectors(kept, vectors.matrix)
    keyed.save_word2vec_format(str(tmp_path / "vectors.txt"), binary=False)
    keyed.save_word2vec_format(str(tmp_path / "vectors.bin"), binary=True)
    return path, benchmark, vectors


def test_wordsim_matches_the_workflow_and_a_direct_spearman(word_vectors, tmp_path):
    path, benchmark, vectors = word_vectors
    out = tmp_path / "scores.csv"
    result = run("wordsim", str(tmp_path / "vectors.txt"), path, "-f", "ws353", "--csv", str(out))
    assert result.returncode == 0, result.stderr
    table = pd.read_csv(out)
    covered = cover(vectors.position, benchmark)
    assert table.to_dict("records") == [
        {
            "benchmark": "wordsim353",
            "rho": spearman(vectors.matrix, covered),
            "pairs": covered.used,
            "total": 353,
            "coverage": covered.used / 353,
        }
    ]
    assert 50 < covered.used < 300  # some pairs out of vocabulary, some in
    # the same rho computed directly: cosines of the pairs whose words both have a vector
    row = vectors.position
    inside = [
        (row[a], row[b], s)
        for a, b, s in benchmark.itertuples(index=False)
        if a in row and b in row
    ]
    x = vectors.matrix[[i for i, _, _ in inside]].astype(np.float64)
    y = vectors.matrix[[j for _, j, _ in inside]].astype(np.float64)
    cosines = (x * y).sum(1) / np.linalg.norm(x, axis=1) / np.linalg.norm(y, axis=1)
    assert table["rho"][0] == pytest.approx(
        spearmanr([s for *_, s in inside], cosines)[0], abs=1e-12
    )
    assert "wordsim353 " in result.stdout and f"{covered.used / 353:.1%}" in result.stdout


@pytest.mark.parametrize("name", ["vectors.bin", "vectors.npy", "glove.txt", "words.csv"])
def test_wordsim_reads_every_vectors_format_alike(word_vectors, tmp_path, capsys, name):
    path, benchmark, vectors = word_vectors
    vectors.write(tmp_path / "vectors.npy", tmp_path / "vectors.vocab.parquet")
    lines = (tmp_path / "vectors.txt").read_text().splitlines()[1:]
    (tmp_path / "glove.txt").write_text("\n".join(lines) + "\n")
    (tmp_path / "words.csv").write_text("\n".join(line.replace(" ", ",") for line in lines) + "\n")
    assert (
        main(
            [
                "wordsim",
                str(tmp_path / name),
                path,
                "-f",
                "ws353",
                "--similarity",
                "euclidean",
                "--csv",
                str(tmp_path / "scores.csv"),
            ]
        )
        == 0
    )
    rho = spearman(vectors.matrix, cover(vectors.position, benchmark), None, "euclidean")
    assert pd.read_csv(tmp_path / "scores.csv")["rho"][0] == pytest.approx(rho, abs=1e-7)


def test_wordsim_takes_a_format_per_file(word_vectors, tmp_path, capsys):
    _, _, vectors = word_vectors
    simlex = datapath("simlex999.txt")
    args = ["wordsim", str(tmp_path / "vectors.txt"), datapath("wordsim353.tsv"), simlex]
    assert main([*args, "-f", "ws353", "-f", "simlex"]) == 0
    out = capsys.readouterr().out
    assert "wordsim353" in out and "simlex999" in out
    assert main([*args, "-f", "ws353", "-f", "simlex", "-f", "men"]) == 1
    assert "give one for all 2 files or one per file, got 3" in capsys.readouterr().err


@pytest.mark.bad_input
def test_wordsim_of_a_bad_benchmark_line_names_the_file_and_line(word_vectors, tmp_path):
    bad = tmp_path / "mine.txt"
    bad.write_text("cat\tdog\t7.5\ncar\tautomobile\tn/a\n")
    result = run("wordsim", str(tmp_path / "vectors.txt"), str(bad))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [f"error: {bad}:2: score 'n/a' is not a finite number"]


@pytest.mark.bad_input
def test_an_output_of_unknown_kind_is_refused_before_the_search(
    sets, tmp_path, capsys, monkeypatch
):
    def no_search(*args, **kwargs):
        raise AssertionError("searched before checking the output's name")

    monkeypatch.setattr("crossmodal.cli.neighbour_commands.overlaps", no_search)
    monkeypatch.setattr("crossmodal.cli.neighbour_commands.knn", no_search)
    a, b = str(tmp_path / "a.csv"), str(tmp_path / "b.csv")
    assert main(["mnno", a, b, "--per-item", str(tmp_path / "items.xlsx")]) == 1
    assert main(["neighbours", a, "--out", str(tmp_path / "nn.txt")]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [
        f"error: {tmp_path / 'items.xlsx'}: expected a .csv or .parquet file name",
        f"error: {tmp_path / 'nn.txt'}: expected a .csv or .parquet file name",
    ]
