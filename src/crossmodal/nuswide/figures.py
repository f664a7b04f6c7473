"""Figures of the NUS-WIDE study, drawn from its final tables so that each shows exactly the
numbers of the CSV beside it: the mean AUC per representation (bar chart of Table 2, the paper's
values marked beside ours), and the nearest-tag reconstruction (sample test images with their
real tags beside the tags nearest to the mean tag vector a cross-modal network reconstructs from
the image alone).

As in :mod:`crossmodal.collell2018.figures`: matplotlib's object API (no pyplot, no global state),
PNG for the HTML report and PDF for print.
"""

from __future__ import annotations

import os
import textwrap
from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from crossmodal.core.errors import InputError
from crossmodal.core.provenance import read_table
from crossmodal.report.figures import save_figure

TABLE2_COLUMNS = ("representation", "label", "mean_auc", "paper_mean_auc")
PREDICTED_TAG_COLUMNS = ("image_id", "path", "real_tags", "predicted_tags")


def read_table2(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read Table 2 (CSV) without its provenance columns, failing with a message naming the
    file if it is missing, unreadable or lacks the representation, label, mean_auc and
    paper_mean_auc columns."""
    return read_table(path, TABLE2_COLUMNS)


def table2_concepts(table: pd.DataFrame) -> list[str]:
    """The per-concept AUC columns of Table 2 (every column after the fixed ones)."""
    return [c for c in table.columns if c not in TABLE2_COLUMNS]


def plot_auc(
    table: pd.DataFrame,
    png: str | os.PathLike[str],
    pdf: str | os.PathLike[str],
    source: str = "nuswide_table2",
) -> Figure:
    """Mean test AUC per representation as horizontal bars (in the table's order), each
    concept's AUC as a dot on its bar, the paper's mean AUC as a red mark, and chance (0.5) as
    a dotted line. Returns the figure, whose bars can be checked against the table."""
    missing = [c for c in TABLE2_COLUMNS if c not in table.columns]
    if missing:
        raise InputError(f"{source}: missing column(s) {', '.join(missing)}")
    if table.empty:
        raise InputError(f"{source}: the table has no rows, nothing to plot")
    concepts = table2_concepts(table)
    y = np.arange(len(table))
    fig = Figure(figsize=(7.0, 1.2 + 0.45 * len(table)))
    ax = fig.subplots()
    ax.barh(y, table["mean_auc"], height=0.6, color="tab:blue", label="mean over concepts")
    for i, row in enumerate(table[concepts].to_numpy(dtype=float)):
        ax.scatter(
            row,
            np.full(len(row), i),
            s=9,
            color="black",
            zorder=3,
            label="one concept" if i == 0 else None,
        )
    ax.scatter(
        table["paper_mean_auc"],
        y,
        marker="|",
        s=260,
        linewidths=2,
        color="tab:red",
        zorder=4,
        label="the paper's mean (NUS-WIDE)",
    )
    for i, value in enumerate(table["mean_auc"]):
        ax.text(0.505, i, f"{value:.3f}", va="center", fontsize=7, color="white")
    ax.axvline(0.5, color="black", linestyle=":", linewidth=0.8, label="chance")
    ax.set_yticks(y, table["label"], fontsize=8)
    ax.invert_yaxis()
    lowest = float(np.nanmin(table[[*concepts, "mean_auc", "paper_mean_auc"]].to_numpy(float)))
    ax.set_xlim(min(0.45, lowest - 0.02), 1.0)
    ax.set_xlabel(f"test ROC AUC, logistic regression per concept ({len(concepts)} concepts)")
    ax.grid(axis="x", alpha=0.3)
    fig.legend(fontsize=7, loc="lower center", ncol=4, frameon=False)
    fig.tight_layout(rect=(0, 0.05, 1, 1))
    save_figure(fig, png, pdf)
    return fig


def plot_predicted_tags(
    rows: pd.DataFrame,
    thumbnails: Sequence[np.ndarray],
    png: str | os.PathLike[str],
    pdf: str | os.PathLike[str],
    model: str,
) -> Figure:
    """One line per sample image: its thumbnail (RGB), its real tags and the tags nearest to
    what ``model`` reconstructs from the image alone, closest first (a * marks a real tag)."""
    missing = [c for c in PREDICTED_TAG_COLUMNS if c not in rows.columns]
    if missing:
        raise InputError(f"predicted tags: missing column(s) {', '.join(missing)}")
    n = len(rows)
    if n == 0 or n != len(thumbnails):
        raise InputError(f"predicted tags: {n} rows but {len(thumbnails)} thumbnails")
    fig = Figure(figsize=(8.0, 1.25 * n + 0.4))
    axes = fig.subplots(n, 2, squeeze=False, width_ratios=[1, 5])
    fig.suptitle(
        f"real tags, and the tags nearest to {model}'s reconstruction from the image (* = real)",
        fontsize=9,
    )
    for (image_ax, text_ax), row, thumb in zip(
        axes, rows.itertuples(index=False), thumbnails, strict=True
    ):
        image_ax.imshow(thumb)
        image_ax.axis("off")
        text_ax.axis("off")
        real = set(row.real_tags.split())
        predicted = row.predicted_tags.split()
        wrap = textwrap.fill(row.real_tags or "(no tags)", 90)
        text_ax.text(0, 0.95, f"{row.image_id}", fontsize=7, color="0.4", va="top")
        text_ax.text(0, 0.7, f"real: {wrap}", fontsize=8, va="top")
        shown = "  ".join(f"{t}*" if t in real else t for t in predicted)
        text_ax.text(0, 0.3, f"{model}: {shown}", fontsize=8, va="top", color="tab:blue")
    fig.tight_layout()
    save_figure(fig, png, pdf)
    return fig
