"""HTML views of the result tables: every cell shown, the CSV embedded byte for byte, words
aligned left and numbers right, text escaped."""

import base64
import re
from html.parser import HTMLParser

import numpy as np
import pandas as pd

from crossmodal.report.table_view import table_html


class Cells(HTMLParser):
    """Text of every <th> and <td>, row by row, and the download link."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.links: list[dict[str, str]] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self.cell = []
        elif tag == "a":
            self.links.append(dict(attrs))

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append("".join(self.cell).strip())
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def test_view_shows_every_cell_and_embeds_the_csv(tmp_path):
    table = pd.DataFrame(
        {
            "embedding": ["demo-sgns_d100", "tux<paint>"],
            "depth": [1, 3],
            "rho": [0.123456, np.nan],
            "significant": [True, False],
        }
    )
    path = tmp_path / "table2.csv"
    table.to_csv(path, index=False)
    page = table_html(pd.read_csv(path), path, "Table 2 & more")
    cells = Cells()
    cells.feed(page)
    assert cells.rows == [
        ["embedding", "depth", "rho", "significant"],
        ["demo-sgns_d100", "1", "0.1235", "True"],
        ["tux<paint>", "3", "", "False"],  # escaped in the page, missing value left empty
    ]
    assert "tux&lt;paint&gt;" in page and "<title>Table 2 &amp; more</title>" in page
    (link,) = cells.links
    assert link["download"] == "table2.csv"
    data = base64.b64decode(link["href"].removeprefix("data:text/csv;base64,"))
    assert data == path.read_bytes()
    # the word column (1st) aligns left, the others keep the right alignment
    assert re.findall(r"td:nth-child\((\d+)\)", page) == ["1"]
