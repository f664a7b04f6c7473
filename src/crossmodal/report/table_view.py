"""Result tables as self-contained HTML pages for the Snakemake report.

Snakemake's HTML report shows images, PDF and HTML inline but offers a CSV only as a file to
download, so each final table also gets a page that shows it in the browser. The page embeds the
CSV itself as a download link, so the view never drifts from the file it shows.
"""

from __future__ import annotations

import base64
import html
import os

import pandas as pd

# Inline style: the report shows the page in an iframe, without the report's own CSS.
STYLE = """
body { font-family: sans-serif; font-size: 12px; margin: 8px; }
h1 { font-size: 14px; margin: 0 0 6px 0; }
p { margin: 0 0 8px 0; }
.scroll { overflow: auto; max-height: 90vh; }
table { border-collapse: collapse; white-space: nowrap; }
th, td { padding: 2px 8px; border-bottom: 1px solid #ddd; text-align: right; }
th { position: sticky; top: 0; background: #f0f0f0; }
tr:nth-child(even) td { background: #fafafa; }
"""


def table_html(table: pd.DataFrame, csv_path: str | os.PathLike[str], title: str) -> str:
    """An HTML page showing ``table`` (floats to 4 decimals, as the workflow writes them; empty
    cells for missing values) under ``title``, with the CSV file at ``csv_path`` embedded as a
    download link."""
    name = os.path.basename(csv_path)
    with open(csv_path, "rb") as handle:
        data = base64.b64encode(handle.read()).decode("ascii")
    rows = table.to_html(index=False, border=0, na_rep="", float_format="{:.4f}".format)
    # Numbers align right (the default above), words left.
    left = "".join(
        f"td:nth-child({i}), th:nth-child({i}) {{ text-align: left; }}\n"
        for i, column in enumerate(table.columns, start=1)
        if not pd.api.types.is_numeric_dtype(table[column])
    )
    return (
        "<!DOCTYPE html>\n<html><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title><style>{STYLE}{left}</style></head><body>"
        f"<h1>{html.escape(title)}</h1>"
        f"<p>{len(table)} rows &middot; <a download='{html.escape(name)}' "
        f"href='data:text/csv;base64,{data}'>download {html.escape(name)}</a></p>"
        f"<div class='scroll'>{rows}</div></body></html>\n"
    )
