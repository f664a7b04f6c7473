"""The rehearsal's config is config/full.yaml but for the downloads' addresses and the scale
settings scale.yaml names: checked leaf by leaf, so that a setting cannot drift away from the
full config unnoticed (the rehearsal would then prove another workflow)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from miniature_files import served_file
from rehearsal import SCALE, _merge, full_config, rehearsal_config


def _leaves(tree: Any, prefix: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    if isinstance(tree, dict):
        for key, value in tree.items():
            yield from _leaves(value, (*prefix, str(key)))
    else:
        yield prefix, tree


@pytest.fixture(scope="module")
def configs(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, dict]:
    served = tmp_path_factory.mktemp("served")
    full = full_config()
    for key, entry in full["downloads"].items():
        local = served_file(served, entry["url"])
        local.parent.mkdir(parents=True, exist_ok=True)
        local.write_bytes(key.encode())
    return full, rehearsal_config(served, "http://127.0.0.1:8765")


def test_only_downloads_and_declared_scale_settings_differ(configs):
    full, rehearsed = configs
    scale = {path for path, _ in _leaves(yaml.safe_load(SCALE.read_text()))}
    full_leaves, rehearsed_leaves = dict(_leaves(full)), dict(_leaves(rehearsed))
    added = set(rehearsed_leaves) - set(full_leaves)
    # Only sizes the full config could not pin are added (no public size known).
    assert added and all(p[0] == "downloads" and p[-1] == "size" for p in added)
    assert set(full_leaves) - set(rehearsed_leaves) == set()
    changed = {p for p in full_leaves if full_leaves[p] != rehearsed_leaves[p]}
    for path in changed:
        assert path in scale or (path[0] == "downloads" and path[-1] in {"url", "sha256", "size"})
    # Every scale setting is one of full.yaml's, and really shrinks something.
    assert scale <= set(full_leaves) and scale & changed


def test_every_download_is_served_locally_and_pinned(configs, tmp_path):
    _, rehearsed = configs
    for key, entry in rehearsed["downloads"].items():
        assert entry["url"].startswith("http://127.0.0.1:8765/"), key
        assert len(entry["sha256"]) == 64 and entry["size"] == len(key.encode())
        # the real base name is kept, so the files land where full.yaml's paths expect them
        assert Path(entry["url"]).name == Path(full_config()["downloads"][key]["url"]).name


def test_a_scale_setting_full_yaml_lacks_is_refused():
    with pytest.raises(KeyError, match=r"scale\.yaml: pixie\.model\.dimension is not a key"):
        _merge(full_config(), {"pixie": {"model": {"dimension": 10}}})


def test_a_missing_miniature_is_named(tmp_path):
    with pytest.raises(FileNotFoundError, match="no miniature for download 'mc30'"):
        rehearsal_config(tmp_path, "http://127.0.0.1:1")
