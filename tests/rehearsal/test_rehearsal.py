"""The full-config rehearsal, end to end: config/full.yaml's run_report on miniature files in the
public formats, every one fetched by the download rules from a server on 127.0.0.1 and checked
against its SHA-256, the CNNs run by OpenCV's DNN backend, all three studies, then the report.

What it proves: the full path's formats, wiring and provenance. What it cannot: the real data's
sizes (memory, time) and the real models' accuracy (README, "Full-config rehearsal").
"""

from __future__ import annotations

import hashlib
import subprocess
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from project_paths import SHARED, STAMPS
from rehearsal import serve, write_public_files, write_rehearsal_config
from snakemake_runner import snakemake_command

from crossmodal.core.provenance import PROVENANCE_COLUMNS, config_digest

pytestmark = pytest.mark.workflow

#: Wall-time limit of the whole run (CI has 90 minutes for everything).
TIMEOUT_S = 40 * 60


@pytest.fixture(scope="module")
def rehearsal(tmp_path_factory: pytest.TempPathFactory):
    """(working directory, config, wall seconds) of one rehearsal run shared by the tests."""
    if not STAMPS.is_dir():
        pytest.skip("Debian package tuxpaint-stamps-default is not installed")
    if not (SHARED / "data/wordsim").is_dir():
        pytest.skip(f"the word-similarity files are not beside the project ({SHARED})")
    root = tmp_path_factory.mktemp("rehearsal")
    write_public_files(root)
    with serve(root / "served") as base_url:
        config_path = write_rehearsal_config(root, base_url)
        started = time.perf_counter()
        run = subprocess.run(
            snakemake_command(root, config_path, "run_report", cores=2),
            capture_output=True,
            text=True,
            timeout=TIMEOUT_S,
        )
        seconds = time.perf_counter() - started
    assert run.returncode == 0, (run.stdout + run.stderr)[-6000:]
    report = subprocess.run(
        snakemake_command(
            root, config_path, "--report", str(root / "results/report.html"), "run_report"
        ),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert report.returncode == 0, (report.stdout + report.stderr)[-4000:]
    print(f"rehearsal run_report: {seconds:.0f} s")
    return root, yaml.safe_load(config_path.read_text()), seconds


def test_every_download_came_from_the_server_with_its_checksum(rehearsal):
    root, config, _ = rehearsal
    for key, entry in config["downloads"].items():
        local = root / "resources" / key / Path(entry["url"]).name
        assert local.is_file(), key
        assert hashlib.sha256(local.read_bytes()).hexdigest() == entry["sha256"], key


def test_every_table_carries_the_rehearsal_configs_provenance(rehearsal):
    root, config, _ = rehearsal
    tables = sorted((root / "results/tables").rglob("*.csv"))
    assert len(tables) >= 20
    for path in tables:
        table = pd.read_csv(path)
        assert len(table) > 0, path
        assert list(table.columns[-3:]) == list(PROVENANCE_COLUMNS), path
        assert set(table["config_sha256"]) == {config_digest(config)}, path
    assert (root / "results/report.html").stat().st_size > 100_000


def test_cnn_features_came_from_opencvs_dnn_backend(rehearsal):
    root, _, _ = rehearsal
    metas = sorted((root / "results/features").rglob("cnn_*.json"))
    assert metas, "no CNN feature metadata"
    assert all('"backend": "opencv"' in path.read_text() for path in metas)
    matrix = np.load(root / "results/features/flickr30k/cnn_vgg19_fc7.npy")
    assert np.isfinite(matrix).all() and matrix.std(axis=0).max() > 0
