"""Figures of the report drawn from the final tables, so that each figure shows exactly the
numbers of the CSV beside it: Collell & Moens (ACL 2018) Table 1 as a bar chart of
mNNO(f(X),X) against mNNO(f(X),Y), and Table 2 (untrained networks) as word-similarity
Spearman correlations per benchmark.

Figures are built with matplotlib's object API (no pyplot): no GUI backend and no global state
on a cluster node. Each is written as PNG (for the HTML report) and PDF (for print).
"""

from __future__ import annotations

import os
import re
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from crossmodal.collell2018.evaluation import SETTING
from crossmodal.collell2018.untrained import TABLE2_COLUMNS
from crossmodal.core.errors import InputError
from crossmodal.report.figures import save_figure

COLOURS = {"fx_x": "tab:blue", "fx_y": "tab:orange", "x": "0.55"}


def table1_k(table: pd.DataFrame, source: str) -> int:
    """The K of Table 1's mNNO^K columns (``mnno_fx_x_k<K>``): the column names carry it
    because K is a config value, and the figure's axis label must say which K was used."""
    found = {int(m.group(1)) for c in table.columns if (m := re.fullmatch(r"mnno_fx_x_k(\d+)", c))}
    if len(found) != 1:
        raise InputError(
            f"{source}: expected exactly one column mnno_fx_x_k<K>; has {', '.join(table.columns)}"
        )
    return found.pop()


def plot_table1(
    table: pd.DataFrame,
    png: str | os.PathLike[str],
    pdf: str | os.PathLike[str],
    source: str = "table1",
) -> Figure:
    """Table 1 as horizontal bars, one panel per dataset: per setting (embedding pair,
    direction, mapping) mNNO(f(X),X) and mNNO(f(X),Y) with +-1 std over folds, and the
    baseline mNNO(X,Y) as a dotted tick. The paper's finding is the blue bar well to the right
    of the orange one: mapped vectors keep the neighbours of their inputs, not of their targets.
    Returns the figure, whose bars can be checked against the table.
    """
    k = table1_k(table, source)
    columns = {
        "fx_x": f"mnno_fx_x_k{k}",
        "fx_y": f"mnno_fx_y_k{k}",
        "x": f"mnno_x_y_k{k}",
    }
    missing = [c for c in (*SETTING, *columns.values()) if c not in table.columns]
    if missing:
        raise InputError(f"{source}: missing column(s) {', '.join(missing)}")
    if table.empty:
        raise InputError(f"{source}: Table 1 has no rows, nothing to plot")
    datasets = list(dict.fromkeys(table["dataset"]))
    sizes = [int((table["dataset"] == d).sum()) for d in datasets]
    fig = Figure(figsize=(8.0, 1.2 + 0.5 * sum(sizes) + 0.6 * len(datasets)))
    axes = fig.subplots(len(datasets), 1, squeeze=False, height_ratios=sizes)[:, 0]
    labels = {
        "fx_x": f"mNNO$^{{{k}}}$(f(X), X)",
        "fx_y": f"mNNO$^{{{k}}}$(f(X), Y)",
        "x": f"mNNO$^{{{k}}}$(X, Y) baseline",
    }
    for ax, dataset in zip(axes, datasets, strict=True):
        rows = table[table["dataset"] == dataset].reset_index(drop=True)
        y = np.arange(len(rows))
        for offset, key in ((-0.2, "fx_x"), (0.2, "fx_y")):
            std = rows.get(f"{columns[key]}_std", pd.Series(0.0, index=rows.index))
            ax.barh(
                y + offset,
                rows[columns[key]],
                height=0.38,
                xerr=std.fillna(0.0),
                color=COLOURS[key],
                label=labels[key],
                error_kw={"elinewidth": 0.8, "capsize": 2},
            )
        ax.vlines(
            rows[columns["x"]],
            y - 0.42,
            y + 0.42,
            colors="black",
            linestyles=":",
            label=labels["x"],
        )
        ax.set_yticks(
            y,
            [
                f"{r.visual} / {r.text}\n{r.direction} {r.mapping}"
                for r in rows.itertuples(index=False)
            ],
            fontsize=7,
        )
        ax.invert_yaxis()
        ax.set_xlim(0, 1)
        ax.set_title(dataset, fontsize=9)
        ax.grid(axis="x", alpha=0.3)
    axes[-1].set_xlabel(f"mNNO$^{{{k}}}$ (cosine neighbours, test items, mean over folds)")
    axes[0].legend(fontsize=7, loc="lower right")
    fig.tight_layout()
    save_figure(fig, png, pdf)
    return fig


def _bar_groups(rows: pd.DataFrame, networks: list[str]) -> list[tuple[str, float, float, bool]]:
    """(label, rho, std, significant) per bar of one embedding: rho(X), then rho(f(X)) per
    untrained network (f_lin, f_nn, ...)."""
    bars = [("X", float(rows["rho_x"].iloc[0]), 0.0, False)]
    for network in networks:
        row = rows[rows["network"] == network]
        label = f"f_{network}(X)"
        if row.empty:
            bars.append((label, np.nan, 0.0, False))
            continue
        bars.append(
            (
                label,
                float(row["rho_fx_mean"].iloc[0]),
                float(np.nan_to_num(row["rho_fx_std"].iloc[0])),
                bool(row["significant"].iloc[0]),
            )
        )
    return bars


def _similarity_panel(
    ax: Any, rows: pd.DataFrame, embeddings: list[str], networks: list[str], labelled: set[str]
) -> None:
    """One benchmark and similarity: per embedding the bars of :func:`_bar_groups`, with the
    covered pairs below each group."""
    shades = [COLOURS["x"], *(f"C{i}" for i in range(len(networks)))]
    width = 0.8 / (1 + len(networks))
    ticks = []
    for i, embedding in enumerate(embeddings):
        part = rows[rows["embedding"] == embedding]
        if part.empty:
            ticks.append(embedding.replace("-", "\n"))
            continue
        for j, (label, rho, std, significant) in enumerate(_bar_groups(part, networks)):
            x = i - 0.4 + width * (j + 0.5)
            ax.bar(
                x,
                rho,
                width=width,
                yerr=std if j else None,  # X is one correlation, no spread
                color=shades[j],
                label=None if label in labelled else label,
                error_kw={"elinewidth": 0.8, "capsize": 2},
            )
            labelled.add(label)
            if significant:
                ax.text(x, rho + std + 0.01, "*", ha="center", fontsize=9)
        used, total = int(part["pairs_used"].iloc[0]), int(part["pairs_total"].iloc[0])
        untested = ", untested" if part["p_rank_sum"].isna().all() else ""
        ticks.append(f"{embedding.replace('-', chr(10))}\n{used}/{total} pairs{untested}")
    ax.set_xticks(range(len(embeddings)), ticks, fontsize=7)
    ax.axhline(0, color="black", linewidth=0.6)
    ax.grid(axis="y", alpha=0.3)


def plot_word_similarity(
    table: pd.DataFrame,
    png: str | os.PathLike[str],
    pdf: str | os.PathLike[str],
    source: str = "table2",
) -> Figure:
    """Table 2 as bars, one panel per word-similarity benchmark (columns) and similarity
    (rows: cosine, Euclidean): per embedding the Spearman rho of its vectors X (grey) and the
    mean rho of each untrained network f(X) (+-1 std over random networks; * where
    Bonferroni-significant). The paper's finding is f(X) bars close to the grey one: untrained
    networks keep the semantic structure of their input. Without word embeddings (Table 2
    empty) the figure says so instead of failing, so a run on item features alone still gets a
    complete report. Returns the figure."""
    missing = [c for c in TABLE2_COLUMNS if c not in table.columns]
    if missing:
        raise InputError(f"{source}: missing column(s) {', '.join(missing)}")
    if table.empty:
        fig = Figure(figsize=(6.0, 2.0))
        ax = fig.subplots()
        ax.axis("off")
        ax.text(0.5, 0.5, "Table 2 is empty: no word embeddings analysed", ha="center")
        save_figure(fig, png, pdf)
        return fig
    benchmarks = list(dict.fromkeys(table["benchmark"]))
    embeddings = list(dict.fromkeys(table["embedding"]))
    similarities = list(dict.fromkeys(table["similarity"]))
    networks = list(dict.fromkeys(table.sort_values("hidden_layers")["network"]))
    panel_width = max(4.0, 1.2 + 1.3 * len(embeddings))
    fig = Figure(figsize=(panel_width * len(benchmarks), 0.6 + 3.6 * len(similarities)))
    axes = fig.subplots(len(similarities), len(benchmarks), squeeze=False, sharey=True)
    labelled: set[str] = set()
    for row, similarity in zip(axes, similarities, strict=True):
        for ax, benchmark in zip(row, benchmarks, strict=True):
            rows = table[(table["benchmark"] == benchmark) & (table["similarity"] == similarity)]
            _similarity_panel(ax, rows, embeddings, networks, labelled)
            ax.set_title(f"{benchmark}, {similarity}", fontsize=9)
        row[0].set_ylabel("Spearman rho with human ratings")
    handles, names = [], []
    for ax in axes.flat:
        found = ax.get_legend_handles_labels()
        handles += found[0]
        names += found[1]
    fig.legend(handles, names, fontsize=7, loc="upper right")
    fig.tight_layout(rect=(0, 0, 0.88, 1))
    save_figure(fig, png, pdf)
    return fig
