"""Config files as the workflow reads them, with messages that name the file.

Two mistakes Snakemake reports without saying which file: a YAML syntax error and an empty
file (``Config file is not valid JSON or YAML`` / ``... keys at top level``). The demo config
the Snakefile loads is checked here first, so its path, line and column are named; files given
with ``--configfile`` are read by Snakemake before any workflow code runs, so for them
``python -m crossmodal.core.config_files FILE...`` names the file instead.

And one mistake Snakemake does not report at all: it merges config files key by key, so a
later file's empty mapping (``selection: {grid: {}}`` over the demo config) removes nothing and
the earlier file's entries silently stay. :func:`check_overlays` refuses such a file, naming
the key (and the switch to use, where the config has one).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import yaml

from crossmodal.core.errors import InputError

# Mapping -> the switch that empties it and works in a config file layered over another (an
# empty mapping there is merged away): selection.enabled: false means no selection, grid {}.
SWITCHES: dict[str, str] = {"collell2018.selection.grid": "collell2018.selection.enabled"}


def read_config_file(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The mapping of a YAML (or JSON) config file, or :class:`InputError` naming the file and,
    for a syntax error, its line and column."""
    try:
        with open(path, encoding="utf-8") as handle:
            content = yaml.safe_load(handle)
    except FileNotFoundError:
        raise InputError(f"{path}: config file not found") from None
    except UnicodeDecodeError as err:
        raise InputError(f"{path}: not UTF-8 text (offset {err.start})") from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(err, "problem", None) or str(err).splitlines()[0]
        raise InputError(f"{path}: YAML syntax error{where}: {problem}") from None
    if content is None:
        raise InputError(f"{path}: empty config file; expected config sections (key: value)")
    if not isinstance(content, dict):
        raise InputError(
            f"{path}: expected config sections (key: value) at the top, found a "
            f"{type(content).__name__}"
        )
    return content


def _empty_mappings(node: Mapping[str, Any], prefix: str = "") -> Iterator[str]:
    """Dotted keys whose value is an empty mapping."""
    for key, value in node.items():
        if isinstance(value, Mapping):
            if value:
                yield from _empty_mappings(value, f"{prefix}{key}.")
            else:
                yield f"{prefix}{key}"


def _lookup(config: Mapping[str, Any], dotted: str) -> Any:
    node: Any = config
    for part in dotted.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return None
        node = node[part]
    return node


def check_overlays(config: Mapping[str, Any], files: Sequence[str | os.PathLike[str]]) -> None:
    """Refuse a config file (after the first) that sets a mapping to ``{}`` which the merged
    ``config`` (as Snakemake built it, before defaults) still fills: the emptying was lost."""
    for path in list(files)[1:]:
        for key in _empty_mappings(read_config_file(path)):
            if _lookup(config, key):
                switch = SWITCHES.get(key)
                hint = f"set {switch}: false instead" if switch else "give the config in one file"
                raise InputError(
                    f"{path}: {key}: {{}} cannot empty what an earlier config file sets "
                    f"(Snakemake merges config files key by key): {hint}"
                )


def apply_switches(config: dict[str, Any]) -> None:
    """Empty each mapping of :data:`SWITCHES` whose switch is false (in place; after the
    schema has filled in the switches' defaults)."""
    for target, switch in SWITCHES.items():
        if _lookup(config, switch) is False:
            *parents, last = target.split(".")
            node = config
            for part in parents:
                node = node[part]
            node[last] = {}


def main(paths: Sequence[str]) -> int:
    """Check config files by hand: one line per file, status 1 if any is not readable."""
    status = 0
    for path in paths:
        try:
            read_config_file(path)
        except InputError as err:
            print(f"error: {err}", file=sys.stderr)
            status = 1
        else:
            print(f"{path}: readable config file")
    return status


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
