"""Mistakes that used to crash with a traceback and no file named, or to be found late or
never healed (issue 19): unreadable feature files, a schema-valid config the tables cannot use,
a dataset without a split, a corrupt intermediate under results/, and config files with a YAML
syntax error or nothing in them. Each now stops with one line naming the file or key, as early
as it can be known, and leaves nothing half-valid behind.
"""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from snakemake_runner import output_text, run_snakemake, write_config
from workflow_fixture import TABLE1, copy_run, quick_config, refused_in_one_line, write_features

pytestmark = [pytest.mark.workflow, pytest.mark.bad_input]
PAIR = "results/collell2018/fx/vis__txt"


@pytest.fixture(scope="module")
def good_run(tmp_path_factory) -> Path:
    """A finished quick run (one mapping, one direction) on good data."""
    root = tmp_path_factory.mktemp("good")
    write_features(root)
    run = run_snakemake(root, write_config(root, quick_config()), TABLE1)
    assert run.returncode == 0, output_text(run)[-4000:]
    return root


def with_visual(tmp_path: Path, name: str, content: bytes | None = None, array=None) -> Path:
    """The good features with the visual modality replaced by file ``data/<name>``; returns
    the config file."""
    write_features(tmp_path)
    if array is not None:  # np.save to a file name would add .npy to a .csv name
        buffer = io.BytesIO()
        np.save(buffer, array)
        content = buffer.getvalue()
    (tmp_path / "data" / name).write_bytes(content)
    config = quick_config()
    config["collell2018"]["datasets"]["fx"]["visual"] = {"vis": {"file": f"data/{name}"}}
    return write_config(tmp_path, config)


@pytest.mark.parametrize(
    ("name", "content", "array", "expected"),
    [
        ("visual.csv", "café,1.0\n".encode("latin-1") * 60, None, "not UTF-8"),
        ("visual.npy", b"", None, "empty file"),
        ("visual.npy", None, np.array([[f"w{i}"] * 6 for i in range(60)]), "found dtype <U3"),
        ("visual.npy", b"label,1.0,2.0\n" * 60, None, "not an NPY file"),
        ("visual.csv", None, np.ones((60, 6)), "not UTF-8"),
        ("visual.csv", "".join(f"item{i:03d}\n" for i in range(60)).encode(), None, "no feature"),
        ("visual.npy", None, np.ones((60, 0)), "no feature columns"),
    ],
    ids=[
        "csv-not-utf8",
        "npy-zero-bytes",
        "npy-of-strings",
        "csv-named-npy",
        "npy-named-csv",
        "csv-labels-only",
        "npy-60x0",
    ],
)
def test_unreadable_feature_files_are_named_by_the_pairing_job(
    tmp_path, name, content, array, expected
):
    configfile = with_visual(tmp_path, name, content, array)
    run = run_snakemake(tmp_path, configfile, TABLE1)
    refused_in_one_line(run, f"data/{name}", expected)
    assert "pair_collell2018_data" in output_text(run)
    assert not (tmp_path / PAIR).exists() and not (tmp_path / TABLE1).exists()


def test_table_1_without_cosine_neighbours_is_refused_at_parse_time(good_run, tmp_path):
    """Schema-valid, but Table 1 reports cosine neighbours: the Table 1 job crashed with
    KeyError: mnno_x_y_cosine, after Snakemake had removed the old table."""
    root = copy_run(good_run, tmp_path / "run")
    table = (root / TABLE1).read_bytes()
    config = quick_config()
    config["collell2018"]["evaluation"]["neighbours"] = ["euclidean"]
    run = run_snakemake(root, write_config(root, config, "euclidean.yaml"), TABLE1)
    refused_in_one_line(run, "collell2018.evaluation.neighbours", "cosine")
    assert (root / TABLE1).read_bytes() == table


def test_a_dataset_without_a_split_is_refused_by_a_dry_run(tmp_path):
    write_features(tmp_path)
    config = quick_config()
    del config["collell2018"]["datasets"]["fx"]["folds"]
    run = run_snakemake(tmp_path, write_config(tmp_path, config), TABLE1, "-n")
    refused_in_one_line(run, "collell2018.datasets.fx", "folds, test_fraction or split_file")


@pytest.mark.fault
def test_a_corrupt_intermediate_names_the_file_and_how_to_rebuild_it(good_run, tmp_path):
    """A truncated matrix under results/ failed every rerun the same way; the message now says
    which file and how to force it, and following it restores the same table."""
    root = copy_run(good_run, tmp_path / "run")
    table = (root / TABLE1).read_bytes()
    image = root / PAIR / "image.npy"
    image.write_bytes(image.read_bytes()[:200])
    line = refused_in_one_line(
        run_snakemake(root, root / "config.yaml", TABLE1),
        f"{PAIR}/image.npy",
        f"--forcerun {PAIR}/image.npy",
    )
    assert "not a readable NPY file" in line
    run = run_snakemake(root, root / "config.yaml", TABLE1, "--forcerun", f"{PAIR}/image.npy")
    assert run.returncode == 0, output_text(run)[-3000:]
    assert (root / TABLE1).read_bytes() == table


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("collell2018:\n  evaluation: {k: 5\n", "YAML syntax error at line 3"),
        ("", "empty config file"),
    ],
    ids=["syntax-error", "empty"],
)
def test_a_broken_default_config_is_named_with_its_line(tmp_path, content, expected):
    (tmp_path / "config").mkdir()
    (tmp_path / "config/config.yaml").write_text(content)
    run = run_snakemake(tmp_path, None, TABLE1, "-n")
    line = refused_in_one_line(run, "config/config.yaml", expected)
    assert line.startswith("config/config.yaml:")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("collell2018:\n  evaluation: {k: 5\n", "overlay.yaml: YAML syntax error at line 3"),
        ("", "overlay.yaml: empty config file"),
    ],
    ids=["syntax-error", "empty"],
)
def test_a_broken_config_overlay_is_named_by_the_config_check(tmp_path, content, expected):
    """Snakemake reads --configfile files before any workflow code and says only "Config file
    is not valid JSON or YAML" (or "... keys at top level"); the README's check names it."""
    write_features(tmp_path)
    base = write_config(tmp_path, quick_config())
    (tmp_path / "overlay.yaml").write_text(content)
    arguments = ("-n", "--configfile", str(base), "overlay.yaml")
    run = run_snakemake(tmp_path, None, TABLE1, *arguments, cwd=tmp_path)
    assert run.returncode != 0 and "Traceback" not in output_text(run)
    check = subprocess.run(
        [sys.executable, "-m", "crossmodal.core.config_files", str(base), "overlay.yaml"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert check.returncode == 1
    assert [line for line in check.stderr.splitlines() if expected in line], check.stderr
    assert f"{base}: readable config file" in check.stdout
