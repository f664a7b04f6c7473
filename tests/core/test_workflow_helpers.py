"""The rules' plain-Python helpers: one named params mapping (resolved per job when it holds
input functions) and wildcard regexes that accept exactly the configured names."""

import re

from crossmodal.core.workflow import one_of, settings


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
