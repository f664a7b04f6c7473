"""Faults on real runs: a training process killed halfway resumes to the same weights; a
Snakemake run stopped halfway leaves no half-written file and finishes only what was left, with
the same table as a run that was never stopped; a second run on the same directory is refused by
Snakemake's lock; and the same config and seed give byte-identical tables, which say which
config, version and seed made them.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import pytest
import torch
from snakemake_runner import output_text, run_snakemake, snakemake_command, write_config
from workflow_fixture import TABLE1, base_config, write_features

from crossmodal import __version__
from crossmodal.core.io import atomic_path, is_temporary
from crossmodal.models.mapping import MappingConfig, snapshot, train_mapping

pytestmark = pytest.mark.fault

TRAINING = """
import numpy as np, time, torch
from crossmodal.models.mapping import MappingConfig, train_mapping
torch.set_num_threads(1)
rng = np.random.default_rng(3)
x = rng.standard_normal((300, 20)).astype("float32")
y = np.tanh(x @ rng.standard_normal((20, 10))).astype("float32")
config = MappingConfig(model="nn", hidden=32, dropout=0.2, epochs=EPOCHS, batch_size=16, seed=4)
train_mapping(x, y, config, on_epoch=lambda e, m: time.sleep(PAUSE), resume=RESUME)
"""


def training_data():
    import numpy as np

    rng = np.random.default_rng(3)
    x = rng.standard_normal((300, 20)).astype("float32")
    return x, np.tanh(x @ rng.standard_normal((20, 10))).astype("float32")


def wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def test_killed_training_resumes_to_the_weights_of_an_uninterrupted_run(tmp_path):
    """Bit-identical on one thread in both processes: float sums over other thread counts may
    round differently, and earlier tests may leave this process on any count (faiss sets
    OpenMP's, which torch shares)."""
    epochs, resume = 12, tmp_path / "fold0.resume"
    config = MappingConfig(model="nn", hidden=32, dropout=0.2, epochs=epochs, batch_size=16, seed=4)

    def saved_epochs() -> int:
        # crossmodal.core.resume.TrainingState's file: the mapping's history is an extra
        saved = torch.load(resume, weights_only=False)["state"]
        return len(saved["extras"]["history"])

    code = textwrap.dedent(TRAINING).replace("EPOCHS", str(epochs)).replace("PAUSE", "0.3")
    code = code.replace("RESUME", repr(str(resume)))
    process = subprocess.Popen([sys.executable, "-c", code])
    try:
        wait_for(lambda: resume.exists() and saved_epochs() >= 3, 120, "three saved epochs")
    finally:
        process.kill()
        process.wait()
    done = saved_epochs()
    assert 3 <= done < epochs, f"the kill came too late: {done} of {epochs} epochs saved"

    x, y = training_data()
    seen: list[int] = []
    resumed = train_mapping(
        x, y, config, torch.device("cpu"), lambda e, _: seen.append(e), resume=resume
    )
    uninterrupted = train_mapping(x, y, config, torch.device("cpu"))
    assert seen == list(range(1, epochs + 1))  # replayed epochs included, each once
    for name, value in snapshot(uninterrupted).items():
        assert torch.equal(snapshot(resumed)[name], value), name


def test_resume_state_of_other_data_is_not_used(tmp_path):
    x, y = training_data()
    config = MappingConfig(model="lin", epochs=3, seed=1)
    resume = tmp_path / "state"
    train_mapping(x, y, config, torch.device("cpu"), resume=resume)
    seen: list[int] = []
    train_mapping(
        x[:200], y[:200], config, torch.device("cpu"), lambda e, _: seen.append(e), resume=resume
    )
    assert seen == [1, 2, 3]  # trained from scratch, not resumed from the other data's epoch 3


def leftover_temporaries(root: Path) -> list[Path]:
    """Files named as crossmodal.core.io.atomic_path names its writes in progress."""
    return sorted(path for path in root.rglob(".*") if is_temporary(path))


KILLED_WRITE = """
import os, signal, sys
from crossmodal.core.io import atomic_path
with atomic_path(sys.argv[1]) as tmp:
    tmp.write_text("half")
    os.kill(os.getpid(), signal.SIGKILL)
"""


def test_the_leftover_check_finds_a_write_killed_inside_atomic_path(tmp_path):
    """The check below is only worth something if it can fail: a process killed inside an
    atomic_path block (no finally runs) leaves its temporary file, and the check finds it."""
    finished = tmp_path / "results/tables/done.csv"
    with atomic_path(finished) as tmp:
        tmp.write_text("a,b\n")
    assert leftover_temporaries(tmp_path) == []
    target = tmp_path / "results/tables/table1.csv"
    killed = subprocess.run([sys.executable, "-c", KILLED_WRITE, str(target)], timeout=120)
    assert killed.returncode == -signal.SIGKILL
    left = leftover_temporaries(tmp_path)
    assert len(left) == 1 and left[0].parent == target.parent, left
    assert left[0].read_text() == "half" and not target.exists()


@pytest.fixture()
def fixture_run(tmp_path) -> tuple[Path, Path]:
    write_features(tmp_path)
    config = base_config()
    config["collell2018"]["training"]["epochs"] = 10  # long enough to interrupt
    return tmp_path, write_config(tmp_path, config)


def finished_checkpoints(root: Path) -> dict[Path, int]:
    return {path: path.stat().st_mtime_ns for path in (root / "results").rglob("checkpoints.pt")}


@pytest.mark.workflow
def test_stopped_run_finishes_only_the_remaining_jobs_with_the_same_table(
    fixture_run, tmp_path_factory
):
    root, configfile = fixture_run
    command = snakemake_command(root, configfile, TABLE1)
    first = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        wait_for(lambda: len(finished_checkpoints(root)) >= 2, 600, "two trained mappings")
    finally:
        first.send_signal(signal.SIGTERM)  # what a cluster or `kill` sends
        log = first.communicate(timeout=300)[0]
    done = finished_checkpoints(root)
    assert not (root / TABLE1).exists(), "stopped too late: the table was already written"
    assert leftover_temporaries(root / "results") == [], "a temporary file was left behind"

    rerun = run_snakemake(root, configfile, TABLE1)
    assert rerun.returncode == 0, log[-2000:] + output_text(rerun)[-3000:]
    for path, mtime in done.items():
        assert path.stat().st_mtime_ns == mtime, f"{path} was trained again"

    clean = tmp_path_factory.mktemp("clean")
    write_features(clean)
    clean_config = clean / "config.yaml"
    clean_config.write_text(configfile.read_text())
    again = run_snakemake(clean, clean_config, TABLE1)
    assert again.returncode == 0, output_text(again)[-3000:]
    assert (clean / TABLE1).read_bytes() == (root / TABLE1).read_bytes()


@pytest.mark.workflow
def test_second_run_on_the_same_directory_is_refused_by_the_lock(fixture_run):
    root, configfile = fixture_run
    first = subprocess.Popen(
        snakemake_command(root, configfile, TABLE1),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(
            lambda: (
                (root / ".snakemake/locks").is_dir() and any((root / ".snakemake/locks").iterdir())
            ),
            120,
            "the first run's lock",
        )
        second = run_snakemake(root, configfile, TABLE1)
    finally:
        status = first.wait(timeout=900)
    text = output_text(second)
    assert second.returncode != 0
    assert "Directory cannot be locked" in text and "Traceback" not in text
    assert status == 0 and (root / TABLE1).exists()


@pytest.mark.workflow
def test_same_config_and_seed_give_identical_tables_with_their_provenance(tmp_path):
    """Bit-identical on CPU (the only device here; cuDNN kernels may differ between GPU runs)."""
    root = tmp_path
    write_features(root)
    configfile = write_config(root, base_config())
    assert run_snakemake(root, configfile, TABLE1).returncode == 0
    first = (root / TABLE1).read_bytes()
    forced = run_snakemake(root, configfile, TABLE1, "--forceall")
    assert forced.returncode == 0, output_text(forced)[-3000:]
    assert (root / TABLE1).read_bytes() == first
    table = pd.read_csv(root / TABLE1)
    assert table["config_sha256"].str.fullmatch("[0-9a-f]{64}").all()
    assert table["config_sha256"].nunique() == 1
    assert (table["crossmodal_version"] == __version__).all() and (table["seed"] == 0).all()
