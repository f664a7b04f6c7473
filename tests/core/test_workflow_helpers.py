"""The rules' plain-Python helpers: one named params mapping (resolved per job when it holds
input functions) and wildcard regexes that accept exactly the configured names."""

import re

import pytest

from crossmodal.core.workflow import one_of, settings, shard_paths


def test_settings_without_functions_is_the_mapping_itself():
    assert settings(window=5, min_count=3) == {"window": 5, "min_count": 3}


def test_settings_with_functions_resolves_each_per_job():
    resolve = settings(k=lambda w: int(w["k"]) * 2, seed=0)
    assert callable(resolve)
    assert resolve({"k": "4"}) == {"k": 8, "seed": 0}
    assert resolve({"k": "1"}) == {"k": 2, "seed": 0}


def test_one_of_matches_exactly_the_names():
    pattern = re.compile(one_of(["lin", "nn", "nn3", "lin", "a.b"]))
    for name in ("lin", "nn", "nn3", "a.b"):
        assert pattern.fullmatch(name)
    for other in ("nn5", "li", "nnn", "axb", "lin/nn", ""):
        assert not pattern.fullmatch(other)
    assert pattern.pattern == r"(lin|nn|nn3|a\.b)"  # repeats dropped, dots escaped


def test_one_of_nothing_never_matches():
    pattern = re.compile(one_of([]))
    assert not any(pattern.fullmatch(text) for text in ("", "x", "(?!)"))


def test_shard_paths_name_each_shard_with_the_layout_it_belongs_to():
    assert shard_paths("nuswide", "bovw_k1000", 3, ".npy") == [
        "results/features/nuswide/shards/bovw_k1000/0-of-3.npy",
        "results/features/nuswide/shards/bovw_k1000/1-of-3.npy",
        "results/features/nuswide/shards/bovw_k1000/2-of-3.npy",
    ]
    assert shard_paths("tuxpaint", "cnn_untrained_pool", 1, ".meta.json") == [
        "results/features/tuxpaint/shards/cnn_untrained_pool/0-of-1.meta.json"
    ]
    with pytest.raises(ValueError, match="datasets.x.shards: 0"):
        shard_paths("x", "bovw_k8", 0, ".npy")
