"""The SLURM profile on a real single-node SLURM (tests/cluster/local_slurm.sh).

A slice of the demo DAG, with CPU rules (the Tux Paint table, the codebook, BoVW encoding) and a
torch rule (untrained CNN features), the per-image stages in two shards, goes through
`--profile profiles/slurm`; the test checks that every job went through SLURM, each shard as a
job of its own (the executor's per-job SLURM logs, kept by the profile; sacct is off), and that
the outputs equal those of a local run in one shard. Skipped, with the reason, where SLURM cannot
run: not root, or the Debian packages slurm-wlm and munge are not installed (`make
cluster-packages` installs them).
"""

import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from project_paths import PROJECT
from snakemake_runner import demo_config, run_snakemake, write_config

SCRIPT = PROJECT / "tests/cluster/local_slurm.sh"
STAMPS = Path("/usr/share/tuxpaint/stamps")
TARGETS = [
    "results/data/tuxpaint/images.parquet",
    "results/features/tuxpaint/cnn_untrained_pool.npy",
    "results/features/tuxpaint/bovw_k256.npy",
]
#: Shards of the cluster run: 70 mammal stamps are two blocks of the BoVW encoder (64 images).
SHARDS = 2


def why_not_runnable() -> str | None:
    if os.geteuid() != 0:
        return "the local SLURM needs root (slurmd runs jobs as the submitting user)"
    commands = ("slurmctld", "slurmd", "munged", "sbatch", "squeue")
    missing = [command for command in commands if not shutil.which(command)]
    if missing:
        return f"{', '.join(missing)} not installed (Debian packages slurm-wlm, munge)"
    if not STAMPS.is_dir():
        return "Debian package tuxpaint-stamps-default is not installed"
    return None


pytestmark = [
    pytest.mark.workflow,
    pytest.mark.skipif(why_not_runnable() is not None, reason=str(why_not_runnable())),
]


@pytest.fixture(scope="module")
def slurm(tmp_path_factory):
    """SLURM_CONF of a freshly started single-node cluster, stopped afterwards."""
    state = tmp_path_factory.mktemp("slurm")
    env = {**os.environ, "CROSSMODAL_SLURM_DIR": str(state)}
    started = subprocess.run(
        ["bash", str(SCRIPT), "start"], env=env, capture_output=True, text=True, timeout=120
    )
    assert started.returncode == 0, started.stderr
    yield str(state / "slurm.conf")
    subprocess.run(["bash", str(SCRIPT), "stop"], env=env, timeout=60, check=True)


def tiny_config(root: Path, shards: int) -> Path:
    stamps = root / "stamps"
    (stamps / "animals").mkdir(parents=True)
    (stamps / "animals/mammals").symlink_to(STAMPS / "animals/mammals")
    config = demo_config()
    config["datasets"]["tuxpaint"].update(stamps_dir=str(stamps), shards=shards)
    config["vision"]["cnn"]["untrained"]["input_size"] = 64
    return write_config(root, config)


def snakemake(
    root: Path, *args: str, shards: int, cores: int | None, env: dict | None = None
) -> subprocess.CompletedProcess:
    # The SLURM executor keeps its job logs below the current directory.
    configfile = tiny_config(root, shards)
    return run_snakemake(root, configfile, *TARGETS, *args, cores=cores, env=env, cwd=root)


def test_slice_of_the_demo_runs_through_slurm_like_locally(slurm, tmp_path):
    local, cluster = tmp_path / "local", tmp_path / "cluster"
    local.mkdir()
    cluster.mkdir()
    run = snakemake(local, shards=1, cores=2)
    assert run.returncode == 0, run.stderr[-3000:]

    env = {**os.environ, "SLURM_CONF": slurm}
    run = snakemake(
        cluster,
        "--profile",
        str(PROJECT / "profiles/slurm"),
        "--slurm-init-seconds-before-status-checks",
        "2",
        shards=SHARDS,
        cores=None,  # the profile's
        env=env,
    )
    assert run.returncode == 0, run.stderr[-5000:]

    # Every job left a SLURM job log: they ran on the cluster, not locally.
    logs = cluster / ".snakemake/slurm_logs"
    for rule in ("prepare_wordnet", "build_tuxpaint_table", "fit_codebook"):
        job_logs = list((logs / f"rule_{rule}").rglob("*.log"))
        assert job_logs, f"no SLURM job log for {rule} under {logs}"
    # Each shard ran as a SLURM job of its own (a log named by its SLURM job id, in a folder
    # named by its wildcards), and each gather as one more.
    for rule, jobs in (
        ("encode_bovw", SHARDS),
        ("extract_cnn_torch", SHARDS),
        ("gather_bovw", 1),
        ("gather_cnn", 1),
    ):
        job_logs = list((logs / f"rule_{rule}").rglob("*.log"))
        assert len({path.parent for path in job_logs}) == jobs, (rule, job_logs)
        assert len({path.stem for path in job_logs}) == len(job_logs), job_logs  # job ids
    shards = cluster / "results/features/tuxpaint/shards/bovw_k256"
    assert [len(pd.read_parquet(shards / f"{i}-of-2.ids.parquet")) for i in (0, 1)] == [64, 6]

    for table in ("results/data/tuxpaint/images.parquet",):
        pd.testing.assert_frame_equal(
            pd.read_parquet(local / table), pd.read_parquet(cluster / table)
        )
    np.testing.assert_allclose(
        np.load(local / TARGETS[1]), np.load(cluster / TARGETS[1]), rtol=1e-5, atol=1e-6
    )
    # Dense SIFT and the nearest centres are exact: two shards give the bytes of one.
    for path in (TARGETS[2], TARGETS[2].replace(".npy", ".ids.parquet")):
        assert (local / path).read_bytes() == (cluster / path).read_bytes(), path
