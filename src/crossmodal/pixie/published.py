"""The PIXIE paper's published values beside ours (Ailem et al., 2018, Tables 2, 3 and 6, and
Table 1's number of pairs per benchmark, which tells where a benchmark's version differs).

The values are a data file shipped with the package (``published/ailem2018.csv``; its comment
lines give the source of every value, and a test checks each one against the paper's text), in
this project's benchmark and model names. :func:`beside_paper` joins them with our tables on the
same benchmark, setting and model: a row exists only where both have a value, so a model or a
benchmark one side lacks is absent, not compared with something else. Table 6 is compared only
when our retrieval experiment runs on the paper's benchmark (Flickr30K).
"""

from __future__ import annotations

import io
from importlib.resources import files

import pandas as pd

from crossmodal.core.errors import InputError

PUBLISHED_FILE = "published/ailem2018.csv"
PUBLISHED_COLUMNS = ("table", "benchmark", "setting", "model", "measure", "value", "paper_label")
COMPARISON_COLUMNS = (
    "table",
    "benchmark",
    "setting",
    "model",
    "measure",
    "paper",
    "ours",
    "paper_label",
)
RECALL_MEASURES = ("i2t_r1", "i2t_r5", "i2t_r10", "t2i_r1", "t2i_r5", "t2i_r10")


def read_published(text: str | None = None) -> pd.DataFrame:
    """The published values (the shipped file, or ``text`` in its format)."""
    source = PUBLISHED_FILE if text is None else "published values"
    if text is None:
        text = files("crossmodal.pixie").joinpath(PUBLISHED_FILE).read_text(encoding="utf-8")
    table = pd.read_csv(
        io.StringIO(text), comment="#", dtype={"table": int, "value": float}, keep_default_na=False
    )
    if tuple(table.columns) != PUBLISHED_COLUMNS:
        raise InputError(f"{source}: expected columns {', '.join(PUBLISHED_COLUMNS)}")
    return table


def _ours(table2: pd.DataFrame, table3: pd.DataFrame, table6: pd.DataFrame | None) -> pd.DataFrame:
    """Our values in the published file's long form (table, benchmark, setting, model, measure,
    ours): each benchmark's number of pairs (Table 1), Table 2's rho and each setting's share of
    scored pairs, Table 3's rho, Table 6's R@K (benchmark ``flickr30k``)."""
    parts = [
        table2.drop_duplicates("benchmark")
        .assign(table=1, measure="pairs", model="", pairs="")
        .rename(columns={"pairs": "setting", "total": "ours"}),
        table2.assign(table=2, measure="rho").rename(columns={"pairs": "setting", "rho": "ours"}),
        table2.drop_duplicates(["benchmark", "pairs"])
        .assign(table=2, measure="share", model="")
        .rename(columns={"pairs": "setting", "share": "ours"}),
        table3.assign(table=3, measure="rho").rename(columns={"images": "setting", "rho": "ours"}),
    ]
    if table6 is not None:
        recall = table6.melt(
            id_vars=["model"],
            value_vars=[m for m in RECALL_MEASURES if m in table6.columns],
            var_name="measure",
        )
        parts.append(
            recall.assign(table=6, benchmark="flickr30k", setting="test").rename(
                columns={"value": "ours"}
            )
        )
    keys = ["table", "benchmark", "setting", "model", "measure", "ours"]
    return pd.concat([part[keys] for part in parts], ignore_index=True).dropna(subset=["ours"])


def beside_paper(
    published: pd.DataFrame,
    table2: pd.DataFrame,
    table3: pd.DataFrame,
    table6: pd.DataFrame | None,
) -> pd.DataFrame:
    """The published values of Tables 1 (pairs per benchmark), 2, 3 and 6 with ours beside them
    (column ``ours``), one row per value both have; ``table6`` None when our retrieval benchmark
    is not Flickr30K."""
    paper = published.rename(columns={"value": "paper"})
    joined = paper.merge(
        _ours(table2, table3, table6), on=["table", "benchmark", "setting", "model", "measure"]
    )
    joined["ours"] = joined["ours"].astype(float).round(4)
    return joined[list(COMPARISON_COLUMNS)].reset_index(drop=True)
