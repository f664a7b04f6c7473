"""Writing the report's figures: every study draws with matplotlib's object API (no pyplot: no
GUI backend and no global state on a cluster node) and saves through :func:`save_figure`, PNG
for the HTML report and PDF for print."""

from __future__ import annotations

import os

from matplotlib.figure import Figure

from crossmodal.core.io import atomic_path


def save_figure(fig: Figure, png: str | os.PathLike[str], pdf: str | os.PathLike[str]) -> None:
    """Write a figure as PNG (for the report) and PDF (for papers), each atomically."""
    for path in (png, pdf):
        with atomic_path(path) as tmp:
            fig.savefig(tmp, dpi=150)
