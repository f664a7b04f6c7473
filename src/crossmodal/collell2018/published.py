"""The paper's published Table 1 and Table 2 beside ours (rule tabulate_collell2018_paper).

The published values live in package data files (``paper_table1.csv``, ``paper_table2.csv``),
each citing the table it copies and saying how its rows were labelled; their setting names are
those of config/full.yaml, so that a run of the full config finds its rows beside the paper's
and the difference at once. Rows of ours without a published counterpart (other datasets,
features or benchmarks, the demo) are not shown; published rows without ours keep empty cells.
"""

from __future__ import annotations

from importlib.resources import files

import pandas as pd

from crossmodal.collell2018.evaluation import SETTING
from crossmodal.collell2018.figures import table1_k
from crossmodal.core.errors import InputError

TABLE1_FILE = "paper_table1.csv"
TABLE2_FILE = "paper_table2.csv"
_TABLE2_KEYS = ("embedding", "benchmark", "similarity", "network")


def published(name: str) -> pd.DataFrame:
    """A published table shipped with the package (``#`` lines are its comments)."""
    with files("crossmodal.collell2018").joinpath(name).open(encoding="utf-8") as handle:
        return pd.read_csv(handle, comment="#")


def table1_beside(ours: pd.DataFrame, source: str = "table1") -> pd.DataFrame:
    """The paper's Table 1 rows with ours beside them: mNNO(f(X),X) and mNNO(f(X),Y) of the
    paper (K = 10), ours (K of our Table 1, ``ours_k``) and ours minus the paper's."""
    k = table1_k(ours, source)
    columns = {f"mnno_fx_x_k{k}": "ours_mnno_fx_x", f"mnno_fx_y_k{k}": "ours_mnno_fx_y"}
    mine = ours[[*SETTING, *columns]].rename(columns=columns)
    paper = published(TABLE1_FILE).rename(
        columns={"mnno_fx_x": "paper_mnno_fx_x", "mnno_fx_y": "paper_mnno_fx_y"}
    )
    table = paper.merge(mine, on=list(SETTING), how="left", validate="one_to_one")
    table.insert(len(SETTING), "ours_k", k)
    for name in ("fx_x", "fx_y"):
        table[f"difference_{name}"] = table[f"ours_mnno_{name}"] - table[f"paper_mnno_{name}"]
    order = [*SETTING, "ours_k"]
    order += [f"{who}_mnno_{n}" for n in ("fx_x", "fx_y") for who in ("paper", "ours")]
    return table[[*order, "difference_fx_x", "difference_fx_y"]]


def table2_beside(ours: pd.DataFrame, source: str = "table2") -> pd.DataFrame:
    """The paper's Table 2 rows with ours beside them: per embedding, benchmark, similarity
    and network (``nn``: f_nn, ``lin``: f_lin, ``input``: X itself) the paper's rho, ours (the
    mean over random networks; rho of X for ``input``) and ours minus the paper's."""
    missing = [c for c in (*_TABLE2_KEYS, "rho_x", "rho_fx_mean") if c not in ours.columns]
    if missing:
        raise InputError(f"{source}: missing column(s) {', '.join(missing)}")
    mapped = ours[[*_TABLE2_KEYS, "rho_fx_mean"]].rename(columns={"rho_fx_mean": "ours_rho"})
    inputs = (
        ours.drop_duplicates(["embedding", "benchmark", "similarity"])
        .assign(network="input")[[*_TABLE2_KEYS, "rho_x"]]
        .rename(columns={"rho_x": "ours_rho"})
    )
    mine = pd.concat([mapped, inputs], ignore_index=True)
    paper = published(TABLE2_FILE).rename(columns={"rho": "paper_rho"})
    table = paper.merge(mine, on=list(_TABLE2_KEYS), how="left", validate="one_to_one")
    table["difference"] = table["ours_rho"] - table["paper_rho"]
    return table[[*_TABLE2_KEYS, "paper_rho", "ours_rho", "difference"]]
