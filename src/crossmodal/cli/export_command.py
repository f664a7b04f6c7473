"""``crossmodal export``: a stored matrix (NPY and its Parquet index) as CSV with the label
column first or as word2vec text (:mod:`crossmodal.core.export`)."""

from __future__ import annotations

import argparse

from crossmodal.core.export import export_matrix


def run_export(args: argparse.Namespace) -> None:
    """Write ``args.source`` to ``args.output`` in ``args.format`` (or the suffix's format)."""
    export_matrix(args.source, args.output, args.format)
