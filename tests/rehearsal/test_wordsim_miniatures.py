"""The rebuilt benchmark files are exactly the ones full.yaml pins (SHA-256, size), keep every row
of their checked copies, and parse with the project's reader in the format full.yaml names."""

from __future__ import annotations

import hashlib

import pytest
import yaml
from miniature_files import FULL_URLS as URLS
from miniature_files import served_file
from miniature_wordsim import LAYOUTS, WORDSIM_DIR, write_wordsim
from project_paths import PROJECT

from crossmodal.data.wordsim import parse_benchmark

if not WORDSIM_DIR.is_dir():
    pytest.skip(f"{WORDSIM_DIR} (../shared beside the project) is absent", allow_module_level=True)

FULL = yaml.safe_load((PROJECT / "config/full.yaml").read_text())


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("wordsim") / "served"
    write_wordsim(root, root.parent / "resources", URLS)
    return root


@pytest.mark.parametrize("key", sorted(LAYOUTS))
def test_rebuilt_file_matches_the_pin(served, key):
    data = served_file(served, URLS[key]).read_bytes()
    pin = FULL["downloads"][key]
    assert len(data) == pin["size"]
    assert hashlib.sha256(data).hexdigest() == pin["sha256"]


@pytest.mark.parametrize("key", sorted(LAYOUTS))
def test_reader_takes_every_row_in_the_configured_format(served, key):
    benchmark = FULL["benchmarks"][key]
    path = served_file(served, URLS[key])
    assert path.name == benchmark["file"]
    copy = (WORDSIM_DIR / LAYOUTS[key].copy).read_text(encoding="utf-8").splitlines()[1:]
    parsed = parse_benchmark(path.read_text(encoding="utf-8"), benchmark["format"], str(path))
    assert len(parsed.pairs) == len(copy)
    assert list(parsed.pairs["score"]) == [float(line.split("\t")[2]) for line in copy]
