"""The miniature Collell & Moens release of the full-config rehearsal is laid out as the real
files: where full.yaml expects them, no header, LF lines, labels and numbers written as in
the released IAPR TC-12 files, the paper's dimensions, row-aligned pairs; and our readers
(Collell's pairs, PIXIE's visual words) read them."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import miniature_collell as mc
import numpy as np
import pandas as pd
import pytest
import yaml
from miniature_files import FULL_URLS as URLS
from miniature_files import served_file
from project_paths import PROJECT, STAMPS

from crossmodal.collell2018.pairs import pair_features
from crossmodal.data.feature_files import read_features
from crossmodal.pixie.visual import read_visual_source

FULL = yaml.safe_load((PROJECT / "config/full.yaml").read_text(encoding="utf-8"))
DATASETS = FULL["collell2018"]["datasets"]
DIM_OF = {"vgg128": 128, "resnet": 2048, "bigru": 64, "glove": 300, "word2vec": 300}
IAPR_LABEL = re.compile(r"\d+( \d+)*")


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not STAMPS.is_dir():
        pytest.skip("Debian package tuxpaint-stamps-default is not installed")
    if not mc.WORDSIM.is_dir():
        pytest.skip(f"{mc.WORDSIM} not present (the benchmarks live beside the project)")
    root = tmp_path_factory.mktemp("rehearsal")
    mc.write_collell(root / "served", root / "resources", URLS)
    return root


def placed(root: Path, configured: str) -> Path:
    """Where a path full.yaml names (``resources/...``) is in the rehearsal: hand-placed
    release files under resources, downloads where the server has them."""
    parts = Path(configured).parts
    assert parts[0] == "resources"
    key = parts[1]
    if key in URLS:  # resources/<download key>/<file>: fetched by the workflow's download rule
        path = served_file(root / "served", URLS[key])
        assert path.name == parts[-1]
        return path
    return root / "resources" / Path(*parts[1:])


def configured_files() -> list[tuple[str, str, str, str]]:
    """(dataset, modality, kind, path) of every feature file full.yaml's Collell study reads."""
    files = []
    for dataset, entry in DATASETS.items():
        for modality in ("visual", "text"):
            for kind, spec in entry[modality].items():
                parts = [k for k in ("file", "train", "test") if k in spec]
                files += [(dataset, modality, kind, spec[k]) for k in parts]
    return files


def rows_of(path: Path) -> list[list[str]]:
    with open(path, newline="", encoding="ascii") as handle:
        return list(csv.reader(handle))


def test_every_file_full_yaml_reads_is_written_and_nothing_else(root: Path) -> None:
    expected = {placed(root, path) for *_, path in configured_files()}
    written = {p for p in root.rglob("*") if p.is_file()}
    assert written == expected and len(expected) == 4 + 6 + 6
    # The four IAPR TC-12 downloads sit under the pinned commit's training_data/iaprtc/.
    served = sorted(p for p in written if "served" in p.parts)
    assert [p.name for p in served] == sorted(
        ["TR_vis_vgg128.csv", "TR_lang_biGRU.csv", "TS_vis_vgg128.csv", "TS_lang_biGRU.csv"]
    )
    assert all(p.parent.as_posix().endswith("/training_data/iaprtc") for p in served)


@pytest.mark.parametrize("kind", ["vis_vgg128", "lang_biGRU"])
def test_iaprtc_downloads_are_laid_out_as_the_released_test_files(root: Path, kind: str) -> None:
    """The released TS_vis_vgg128.csv / TS_lang_biGRU.csv: no header, LF line ends with a final
    newline, ascending 0-based concept ids separated by spaces, then 128 / 64 numbers, each
    repr() of the value at 6 significant digits."""
    dim = DIM_OF["bigru" if kind == "lang_biGRU" else "vgg128"]
    all_ids = set()
    for split in ("tr", "ts"):
        path = served_file(root / "served", URLS[f"collell_iaprtc_{split}_{kind.lower()}"])
        raw = path.read_bytes()
        assert b"\r" not in raw and raw.endswith(b"\n") and not raw.endswith(b"\n\n")
        rows = rows_of(path)
        assert len(rows) == (150 if split == "tr" else 60)
        for label, *values in rows:
            assert IAPR_LABEL.fullmatch(label)
            ids = [int(i) for i in label.split()]
            assert ids == sorted(set(ids)) and 1 <= len(ids) <= 12
            all_ids |= set(ids)
            assert len(values) == dim
            assert all(v == repr(float(f"{float(v):.6g}")) for v in values)
    assert all_ids == set(range(len(all_ids)))  # dense 0-based ids over both splits


@pytest.mark.parametrize("dataset", ["iaprtc", "wiki"])
def test_split_files_are_row_aligned_with_the_papers_dimensions(root: Path, dataset: str) -> None:
    for split in ("train", "test"):
        labels = []
        for modality in ("visual", "text"):
            for kind, spec in DATASETS[dataset][modality].items():
                rows = rows_of(placed(root, spec[split]))
                assert {len(row) - 1 for row in rows} == {DIM_OF[kind]}
                labels.append([row[0] for row in rows])
        assert all(column == labels[0] for column in labels)  # same items, same order
        if dataset == "wiki":  # one of ten classes per item
            assert {int(label) for label in labels[0]} <= set(range(10))
            assert len(set(labels[0])) >= 5


def test_imagenet_files_hold_the_same_words_in_the_same_order(root: Path) -> None:
    entry = DATASETS["imagenet"]
    columns = []
    for modality in ("visual", "text"):
        for kind, spec in entry[modality].items():
            rows = rows_of(placed(root, spec["file"]))
            assert {len(row) - 1 for row in rows} == {DIM_OF[kind]}
            columns.append([row[0] for row in rows])
    words = columns[0]
    assert all(column == words for column in columns)
    assert len(words) == 150 and words == sorted(set(words))
    assert all(w.isalpha() and w.islower() for w in words)
    counts = mc.benchmark_words()
    assert all(counts.get(w, 0) >= 1 for w in words)  # each is scored by some benchmark


def test_our_readers_read_every_file(root: Path) -> None:
    for _, _, kind, path in configured_files():
        matrix, labels = read_features(placed(root, path), label_column=True)
        assert matrix.shape[1] == DIM_OF[kind] and labels is not None
        assert np.isfinite(matrix).all()
    for dataset in ("iaprtc", "wiki"):
        entry = DATASETS[dataset]
        for visual in entry["visual"].values():
            files = {
                "image_train": str(placed(root, visual["train"])),
                "image_test": str(placed(root, visual["test"])),
                "text_train": str(placed(root, entry["text"]["bigru"]["train"])),
                "text_test": str(placed(root, entry["text"]["bigru"]["test"])),
            }
            pairs = pair_features(files, True, None, None, 0)
            assert len(pairs.items) == 210 and (pairs.items["fold"] == 0).sum() == 60
    entry = DATASETS["imagenet"]
    files = {
        "image": str(placed(root, entry["visual"]["vgg128"]["file"])),
        "text": str(placed(root, entry["text"]["glove"]["file"])),
    }
    pairs = pair_features(files, True, 5, None, 0)
    assert pd.Series(pairs.items["fold"]).nunique() == 5
    visual = read_visual_source(placed(root, FULL["pixie"]["visual"]["file"]))
    assert len(visual.words) == 150 and visual.words == sorted(visual.words)


def test_same_bytes_every_run(root: Path, tmp_path: Path) -> None:
    mc.write_collell(tmp_path / "served", tmp_path / "resources", URLS)
    first = {p.relative_to(root): p.read_bytes() for p in root.rglob("*.csv")}
    again = {p.relative_to(tmp_path): p.read_bytes() for p in tmp_path.rglob("*.csv")}
    assert first == again
