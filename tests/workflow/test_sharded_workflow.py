"""Per-image stages in shards (config `datasets: <name>: shards:`), on real stamps: four shards
give byte for byte the feature matrices, ids and sidecars of one, and changing the number of
shards reruns the per-image jobs and their gathers only.

Snakemake propagates a rerun to every job downstream within one invocation, without comparing
contents; so the new layout is run up to the feature matrices, and what reads them is checked in
a second invocation (README, "Scaling out"): nothing reruns, because the gathered files are
byte-identical and Snakemake ignores a newer mtime when a small input's recorded checksum is
unchanged; for inputs above --max-checksum-file-size, running that once with the mtime trigger
off does the same.
"""

import shutil
from pathlib import Path

import pandas as pd
import pytest
from project_paths import STAMPS, linked_stamps
from snakemake_runner import (
    DRY_RUN,
    demo_config,
    output_text,
    planned_rules,
    run_snakemake,
    write_config,
)

pytestmark = pytest.mark.workflow
#: About 280 images: more than three blocks of the BoVW encoder (64 images), so that each of
#: four shards encodes some, and nine CNN batches of 32.
FOLDERS = ("animals", "food", "plants")
KINDS = ("bovw_k16", "cnn_untrained_pool")
FEATURES = [f"results/features/tuxpaint/{kind}.npy" for kind in KINDS]
WORDS = [f"results/words/tuxpaint/{kind}.npy" for kind in KINDS]
PER_IMAGE = {"encode_bovw": 4, "gather_bovw": 1, "extract_cnn_torch": 4, "gather_cnn": 1}


def gathered_files(root: Path) -> dict[str, bytes]:
    """Every gathered feature file (matrix, ids, CNN sidecar) by name, as bytes."""
    files = {}
    for kind in KINDS:
        for suffix in (".npy", ".ids.parquet", ".meta.json"):
            path = root / "results/features/tuxpaint" / f"{kind}{suffix}"
            if suffix != ".meta.json" or kind.startswith("cnn"):
                files[path.name] = path.read_bytes()
    return files


@pytest.fixture(scope="module")
def one_shard(tmp_path_factory):
    """The feature stages and the per-word vectors that read them, run with one shard."""
    root = tmp_path_factory.mktemp("shards")
    stamps = linked_stamps(root, FOLDERS)
    config = demo_config()
    config["datasets"]["tuxpaint"].update(stamps_dir=str(stamps), shards=1)
    config["vision"]["codebook"].update(k=16, descriptors_per_image=50)
    config["vision"]["cnn"]["untrained"]["input_size"] = 64
    config["words"]["features"] = list(KINDS)
    run = run_snakemake(root, write_config(root, config), *WORDS, cores=2)
    assert run.returncode == 0, run.stderr[-4000:]
    return root, config, gathered_files(root)


def test_four_shards_rerun_the_per_image_jobs_only_and_gather_the_same_bytes(one_shard):
    root, config, before = one_shard
    config["datasets"]["tuxpaint"]["shards"] = 4
    configfile = write_config(root, config, "four_shards.yaml")

    # Not the image table, not the codebook (fitted once, on a sample): shards and gathers only.
    assert planned_rules(run_snakemake(root, configfile, *FEATURES, *DRY_RUN)) == PER_IMAGE
    run = run_snakemake(root, configfile, *FEATURES, cores=2)
    assert run.returncode == 0, run.stderr[-4000:]
    for kind in KINDS:
        shards = root / "results/features/tuxpaint/shards" / kind
        rows = [len(pd.read_parquet(shards / f"{i}-of-4.ids.parquet")) for i in range(4)]
        assert min(rows) > 0, f"{kind}: an empty shard proves nothing ({rows})"
    after = gathered_files(root)
    assert after.keys() == before.keys()
    for name, content in before.items():
        assert after[name] == content, f"{name} differs between one shard and four"

    # What reads the features does not rerun: the gathered files are byte-identical...
    assert planned_rules(run_snakemake(root, configfile, *WORDS, *DRY_RUN)) == {}
    # ...which Snakemake sees by checksum only below --max-checksum-file-size (1 MB by default);
    # above it the newer file reruns its readers, whatever --rerun-triggers say (Snakemake 9).
    big = ("--max-checksum-file-size", "1")
    assert planned_rules(run_snakemake(root, configfile, *WORDS, *DRY_RUN, *big)) == {
        "average_word_features": 2
    }


@pytest.mark.fault
def test_a_failed_shard_is_retried_and_rerun_alone(tmp_path):
    """One unreadable image fails its shard (and the retry the profiles' `retries` gives it);
    the other shard's work is kept, and once the image is fixed only that shard and the gather
    run."""
    if not STAMPS.is_dir():
        pytest.skip("Debian package tuxpaint-stamps-default is not installed")
    stamps = tmp_path / "stamps/animals/mammals"  # copies: the test breaks one of them
    shutil.copytree(STAMPS / "animals/mammals", stamps, ignore=shutil.ignore_patterns("*.ogg"))
    config = demo_config()
    config["datasets"]["tuxpaint"].update(stamps_dir=str(tmp_path / "stamps"), shards=2)
    config["vision"]["codebook"].update(k=16, descriptors_per_image=50)
    configfile = write_config(tmp_path, config)
    target = "results/features/tuxpaint/bovw_k16.npy"
    run = run_snakemake(tmp_path, configfile, "results/features/tuxpaint/codebook_k16.npy")
    assert run.returncode == 0, run.stderr[-4000:]

    images = pd.read_parquet(tmp_path / "results/data/tuxpaint/images.parquet")
    assert len(images) == 70  # shard 0: images 0-63, shard 1: 64-69 (blocks of 64)
    broken = Path(images["path"].iloc[66])
    good = broken.read_bytes()
    broken.write_bytes(b"not an image")
    run = run_snakemake(tmp_path, configfile, target, "--retries", "1", "--keep-going")
    assert run.returncode != 0
    shards = tmp_path / "results/features/tuxpaint/shards/bovw_k16"
    assert (shards / "0-of-2.npy").is_file() and not (shards / "1-of-2.npy").exists()
    log = (tmp_path / "logs/encode_bovw/tuxpaint/k16/1-of-2.log").read_text()
    assert f"error: {broken}: not a readable image" in log
    assert output_text(run).count("Trying to restart job") == 1  # the failed shard, once

    broken.write_bytes(good)
    plan = planned_rules(run_snakemake(tmp_path, configfile, target, *DRY_RUN))
    assert plan == {"encode_bovw": 1, "gather_bovw": 1}
    run = run_snakemake(tmp_path, configfile, target, cores=2)
    assert run.returncode == 0, run.stderr[-4000:]
