"""The full-config rehearsal, end to end: config/full.yaml's run_report on miniature files in the
public formats, every one fetched by the download rules from a server on 127.0.0.1 and checked
against its SHA-256, the CNNs run by OpenCV's DNN backend, all three studies, then the report.

What it proves: the full path's formats, wiring and provenance. What it cannot: the real data's
sizes (memory, time) and the real models' accuracy (README, "Full-config rehearsal").
"""

from __future__ import annotations

import copy
import subprocess
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from project_paths import PROJECT, SHARED, STAMPS
from rehearsal import TARGETS, serve, write_public_files, write_rehearsal_config
from snakemake_runner import snakemake_command

from crossmodal.core.config import validate_config
from crossmodal.core.config_files import apply_switches
from crossmodal.core.io import sha256_file
from crossmodal.core.provenance import PROVENANCE_COLUMNS, config_digest

pytestmark = pytest.mark.workflow

#: Wall-time limit of the Snakemake run: about 40 minutes on a quiet 2-core machine, and CI has
#: 90 minutes for everything (the rest of the suite takes about 28).
TIMEOUT_S = 55 * 60


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
            snakemake_command(root, config_path, *TARGETS, cores=2),
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
    print(f"rehearsal: {seconds:.0f} s")
    return root, yaml.safe_load(config_path.read_text()), seconds


def test_every_download_came_from_the_server_with_its_checksum(rehearsal):
    root, config, _ = rehearsal
    fetched = {path.parent.name for path in (root / "resources").glob("*/*") if path.is_file()}
    assert fetched == set(config["downloads"])
    for key, entry in config["downloads"].items():
        local = root / "resources" / key / Path(entry["url"]).name
        assert sha256_file(local) == entry["sha256"], key


def test_every_table_carries_the_rehearsal_configs_provenance(rehearsal):
    root, config, _ = rehearsal
    # The digest of the config the workflow ran: the file, schema defaults filled in.
    config = copy.deepcopy(config)
    validate_config(config, PROJECT / "workflow/schemas/config.schema.yaml")
    apply_switches(config)
    tables = sorted((root / "results/tables").rglob("*.csv"))
    assert len(tables) >= 20
    for path in tables:
        table = pd.read_csv(path)
        assert list(table.columns[-3:]) == list(PROVENANCE_COLUMNS), path
        assert set(table["config_sha256"]) <= {config_digest(config)}, path
        # Only the ImageNet check may be empty: full.yaml's CNNs give it no class scores.
        assert len(table) > 0 or path.name == "imagenet_agreement.csv", path
    assert (root / "results/report.html").stat().st_size > 100_000


def test_the_visual_vocabulary_has_every_feature_kind_of_the_full_config(rehearsal):
    root, config, _ = rehearsal
    vocabulary = _table(root, "tuxpaint/visual_vocabulary.csv")
    assert sorted(vocabulary["kind"]) == sorted(config["words"]["features"])
    assert (vocabulary["visual_words"] > 0).all()
    googlenet = np.load(root / "results/features/tuxpaint/cnn_googlenet_pool5.npy")
    assert googlenet.ndim == 2 and np.isfinite(googlenet).all()


def test_cnn_features_came_from_opencvs_dnn_backend(rehearsal):
    root, _, _ = rehearsal
    metas = sorted((root / "results/features").rglob("cnn_*.json"))
    assert metas, "no CNN feature metadata"
    assert all('"backend": "opencv"' in path.read_text() for path in metas)
    matrix = np.load(root / "results/features/flickr30k/cnn_vgg19_fc7.npy")
    assert np.isfinite(matrix).all() and matrix.std(axis=0).max() > 0


def _keys(table: pd.DataFrame, columns: list[str]) -> set[tuple[str, ...]]:
    return set(table[columns].astype(str).itertuples(index=False, name=None))


def _table(root: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(root / "results/tables" / name)


def test_collell_tables_have_the_full_configs_rows(rehearsal):
    root, config, _ = rehearsal
    collell = config["collell2018"]
    settings = [
        (name, visual, text)
        for name in collell["run"]
        for visual in collell["datasets"][name]["visual"]
        for text in collell["datasets"][name]["text"]
    ]
    rows = {
        (*setting, direction, mapping)
        for setting in settings
        for direction in collell["directions"]
        for mapping in collell["table1_mappings"]
    }
    table1 = _table(root, "table1.csv")
    assert _keys(table1, ["dataset", "visual", "text", "direction", "mapping"]) == rows
    assert len(table1) == len(rows) == 32
    k = collell["evaluation"]["k"]
    for column in (f"mnno_fx_x_k{k}", f"mnno_fx_y_k{k}", f"mnno_x_y_k{k}", "p_at_10"):
        assert table1[column].between(0, 1).all(), column
    everything = {
        (*setting, direction, mapping)
        for setting in settings
        for direction in collell["directions"]
        for mapping in [*collell["table1_mappings"], *collell["supplement_mappings"]]
    }
    mappings = _table(root, "collell2018/mappings.csv")
    assert _keys(mappings, ["dataset", "visual", "text", "direction", "mapping"]) == everything
    untrained = collell["untrained"]
    embeddings = {
        f"{name}-{kind}"
        for name in collell["run"]
        if collell["datasets"][name].get("word_labels")
        for modality in ("visual", "text")
        for kind in collell["datasets"][name][modality]
    }
    table2 = _table(root, "collell2018_table2.csv")
    assert _keys(table2, ["embedding", "benchmark", "similarity", "network"]) == {
        (embedding, benchmark, similarity, network)
        for embedding in embeddings
        for benchmark in untrained["benchmarks"]
        for similarity in untrained["similarities"]
        for network in ("lin", "nn")
    }
    assert table2["rho_x"].notna().any() and table2["rho_fx_mean"].notna().any()


def test_pixie_tables_have_the_full_configs_rows(rehearsal):
    root, config, _ = rehearsal
    pixie = config["pixie"]
    table2 = _table(root, "pixie_table2.csv")
    assert _keys(table2, ["benchmark", "pairs", "model"]) == {
        (benchmark, pairs, model)
        for benchmark in pixie["benchmarks"]
        for pairs in ("all", "visual")
        for model in pixie["table2_models"]
    }
    assert table2.loc[table2["model"] == "pixieplus", "rho"].notna().any()
    table3 = _table(root, "pixie_table3.csv")
    models = pixie["propagation"]["models"]
    assert _keys(table3, ["benchmark", "model", "images"]) == {
        (benchmark, model, images)
        for benchmark in pixie["benchmarks"]
        for model in models
        for images in (("none",) if model == "sgns" else ("all", "withheld"))
    }
    table4 = _table(root, "pixie_table4.csv")
    assert _keys(table4, ["word1", "word2"]) == {tuple(p) for p in pixie["pair_cosines"]["pairs"]}
    assert table4.drop(columns=["config_sha256", "seed"]).notna().all().all()
    table5 = _table(root, "pixie_table5.csv")
    assert set(table5["query"]) == set(pixie["neighbours"]["queries"])
    # A query the vocabulary lacks keeps one empty row (the miniature text8 has no
    # "birthstone": WordNet 3.0 and gensim's corpora never use it).
    found = table5.dropna(subset=["neighbour"]).groupby(["query", "model"]).size()
    assert found.eq(pixie["neighbours"]["k"]).all() and len(found) >= 3 * 3
    missing = table5[table5["neighbour"].isna()]
    assert not missing.duplicated(["query", "model"]).any()
    assert not set(zip(missing["query"], missing["model"], strict=True)) & set(found.index)
    table6 = _table(root, "pixie_table6.csv")
    retrieval = pixie["retrieval"]
    assert list(table6["model"]) == retrieval["models"]
    recalls = [f"{d}_r{k}" for k in retrieval["recall_at"] for d in ("i2t", "t2i")]
    assert table6[recalls].apply(lambda c: c.between(0, 100)).all().all()


def test_nuswide_tables_have_the_full_configs_rows(rehearsal):
    root, config, _ = rehearsal
    nuswide = config["nuswide"]
    table2 = _table(root, "nuswide_table2.csv")
    assert list(table2["representation"]) == nuswide["representations"]
    assert set(nuswide["concepts"]) <= set(table2.columns)
    assert table2[nuswide["concepts"]].apply(lambda c: c.between(0, 1)).all().all()
    tags = _table(root, "nuswide_predicted_tags.csv")
    assert len(tags) == nuswide["tag_figure"]["images"]
