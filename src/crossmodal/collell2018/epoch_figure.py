"""The mNNO-vs-epochs figure of Collell & Moens (ACL 2018, Fig. 2), drawn from
:func:`crossmodal.collell2018.evaluation.epoch_curves`. Kept apart from the evaluation so that
training and evaluation jobs do not import matplotlib."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from crossmodal.collell2018.evaluation import SETTING
from crossmodal.report.figures import save_figure


def plot_epoch_curves(curves: pd.DataFrame, png: str, pdf: str) -> None:
    """The paper's Fig. 2: mNNO(f(X),X) and mNNO(f(X),Y) against epochs, train and test, one
    panel per dataset, embedding pair, direction and mapping (shaded: +- 1 std over folds)."""
    panels = curves[list(SETTING)].drop_duplicates().to_dict("records")
    cols = min(4, len(panels))
    rows = -(-len(panels) // cols)
    # Figure without pyplot: no GUI backend and no global state on a cluster node.
    fig = Figure(figsize=(3.6 * cols, 3.0 * rows))
    axes = fig.subplots(rows, cols, squeeze=False)
    styles = {"train": "--", "test": "-"}
    colours = {"mnno_fx_x_cosine": "tab:blue", "mnno_fx_y_cosine": "tab:orange"}
    labels = {"mnno_fx_x_cosine": "mNNO(f(X), X)", "mnno_fx_y_cosine": "mNNO(f(X), Y)"}
    for ax, panel in zip(axes.flat, panels, strict=False):
        mask = np.logical_and.reduce([curves[c] == panel[c] for c in SETTING])
        for subset, style in styles.items():
            part = curves[mask & (curves["subset"] == subset)].sort_values("epoch")
            for column, colour in colours.items():
                ax.plot(
                    part["epoch"],
                    part[column],
                    style,
                    color=colour,
                    label=f"{labels[column]} {subset}",
                )
                spread = part[f"{column}_std"].fillna(0)
                ax.fill_between(
                    part["epoch"],
                    part[column] - spread,
                    part[column] + spread,
                    color=colour,
                    alpha=0.12,
                    linewidth=0,
                )
        ax.set_title(
            f"{panel['dataset']} {panel['direction']} {panel['mapping']}\n"
            f"{panel['visual']} / {panel['text']}",
            fontsize=8,
        )
        ax.set_xlabel("epoch")
        ax.set_ylim(0, 1)
    for ax in list(axes.flat)[len(panels) :]:
        ax.axis("off")
    axes.flat[0].set_ylabel("mNNO (cosine)")
    axes.flat[0].legend(fontsize=6)
    fig.tight_layout()
    save_figure(fig, png, pdf)
