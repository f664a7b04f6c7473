"""Where each result sits in the Snakemake report, from ONE table (workflow/report/places.yaml).

Every ``report()`` of the workflow's rules and every table's HTML view takes its category,
subcategory and labels from here, so that a CSV, its HTML view and the figure drawn from it
cannot drift apart in the report's navigation.

The table maps an item's path under results/ without suffix (``tables/table1``,
``figures/collell2018_table1``) to ``[category, subcategory, result label]``; a ``{dataset}``
in a path and its label stands for each dataset the report summarises.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any

import yaml

from crossmodal.core.errors import InputError

Place = tuple[str, str | None, str]


def read_places(path: str | os.PathLike[str]) -> dict[str, Place]:
    """The places table, checked to hold ``figures/`` and ``tables/`` items of three fields."""
    with open(path, encoding="utf-8") as handle:
        table = yaml.safe_load(handle)
    for name, place in table.items():
        if not name.startswith(("figures/", "tables/")) or len(place) != 3:
            raise InputError(
                f"{path}: {name}: expected figures/<name> or tables/<name> -> "
                "[category, subcategory, result label]"
            )
    return {name: (place[0], place[1], place[2]) for name, place in table.items()}


def report_flags(places: dict[str, Place], name: str, kind: str | None = None) -> dict[str, Any]:
    """``category``, ``subcategory`` and ``labels`` of item ``name`` for ``report()``; the
    ``kind`` label (figure, table, or as given) tells items of the same result apart."""
    category, subcategory, result = places[name]
    kind = kind or ("figure" if name.startswith("figures/") else "table")
    return {
        "category": category,
        "subcategory": subcategory,
        "labels": {"result": result, "kind": kind},
    }


def figures(places: dict[str, Place]) -> list[str]:
    """Paths under results/ of the report's figures (PNG), in table order."""
    return [f"results/{name}.png" for name in places if name.startswith("figures/")]


def table_views(places: dict[str, Place], datasets: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Every table the report shows, as the ``{table}`` of results/tables/{table}.csv -> the
    report flags of its HTML view (kind ``table (view)``) and its heading (``title``); items
    with ``{dataset}`` once for each of ``datasets``."""
    datasets = list(datasets)
    views: dict[str, dict[str, Any]] = {}
    for name in places:
        if not name.startswith("tables/"):
            continue
        for dataset in datasets if "{dataset}" in name else [""]:
            table = name.removeprefix("tables/").format(dataset=dataset)
            flags = report_flags(places, name, kind="table (view)")
            flags["labels"]["result"] = flags["labels"]["result"].format(dataset=dataset)
            category, subcategory = flags["category"], flags["subcategory"]
            where = f"{category}, {subcategory}" if subcategory else category
            title = f"{where}: {flags['labels']['result']} (results/tables/{table}.csv)"
            views[table] = {**flags, "title": title}
    return views
