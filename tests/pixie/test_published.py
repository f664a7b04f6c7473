"""The paper's published values shipped with the package are the paper's: every row of
published/ailem2018.csv is read back from the paper's text (../shared/papers), and every value
of the paper's Tables 2, 3 and 6 has its row."""

import re
from importlib.resources import files

import pandas as pd
import pytest
from project_paths import SHARED

from crossmodal.pixie.published import read_published

PAPER = SHARED / "papers" / "pixie-ailem-2018.txt"
# The paper's column order in Tables 2 and 3, in this project's benchmark names.
COLUMNS = [
    "semsim",
    "simlex999",
    "ws353sim",
    "rg65",
    "mc30",
    "men",
    "ws353rel",
    "mturk287",
    "vissim",
    "ws353",
]
TABLE2_ROWS = {
    "CNN ": "cnn",
    "VAE ": "vae",
    "SGNS ": "sgns",
    "CNN⊕SGNS† ": "cnnsgns",
    "VAE⊕SGNS ": "vaesgns",
    "V-SGNS‡ ": "vsgns",
    "IV-SGNS§ (LINEAR) ": "ivsgnslin",
    "IV-SGNS§ (NONLINEAR) ": "ivsgnsnn",
    "PIXIE+ ": "pixieplus",
    "PIXIE⊕ ": "pixieconcat",
}
TABLE3_ROWS = {
    "SGNS ": ("sgns", "none"),
    "V-SGNS ": ("vsgns", "all"),
    "IV-SGNS (LINEAR) ": ("ivsgnslin", "all"),
    "PIXIE⊕ ": ("pixieconcat", "all"),
    "V-SGNS(∗) ": ("vsgns", "withheld"),
    "IV-SGNS(∗) ": ("ivsgnslin", "withheld"),
    "(∗) ": ("pixieconcat", "withheld"),  # "PIXIE⊕" on the line above
}
TABLE6_ROWS = {
    "SGNS ": "sgns",
    "V-SGNS ": "vsgns",
    "IV-SGNS (LINEAR) ": "ivsgnslin",
    "PIXIE+ ": "pixieplus",
    "PIXIE⊕ ": "pixieconcat",
}
RECALL = ["i2t_r1", "i2t_r5", "i2t_r10", "t2i_r1", "t2i_r5", "t2i_r10"]
NUMBER = r"(?:\d+\.\d+|-)"


def _block(lines: list[str], start: str, stop: str) -> list[str]:
    first = next(i for i, line in enumerate(lines) if line.startswith(start))
    last = next(i for i in range(first, len(lines)) if lines[i].startswith(stop))
    return lines[first:last]


def _values(block: list[str], label: str, count: int) -> list[str]:
    pattern = re.compile(re.escape(label) + rf"((?:{NUMBER} ){{{count - 1}}}{NUMBER})$")
    found = [m.group(1).split() for line in block if (m := pattern.match(line))]
    assert len(found) == 1, label
    return found[0]


@pytest.fixture(scope="module")
def paper() -> dict[tuple, float]:
    """Every value of the paper's Tables 1, 2, 3 and 6, keyed as the CSV's rows."""
    if not PAPER.is_file():
        pytest.skip(f"{PAPER} not present")
    lines = PAPER.read_text(encoding="utf-8").splitlines()
    values: dict[tuple, float] = {}
    table1 = _block(lines, "Table 1: Datasets", "Table 2:")
    for key, label in zip(
        COLUMNS,
        ["SEMSIM", "SimLex", "SIM", "EN-RG", "EN-MC", "MEN", "REL", "MTurk", "VISSIM", "WORDSIM"],
        strict=True,
    ):
        (line,) = [x for x in table1 if x.startswith(label + " (")]
        values[(1, key, "", "", "pairs")] = float(line.split()[-1])
    table2 = _block(lines, "Table 2: Results", "4.2 Task 1")
    shares = next(x for x in table2 if x.startswith("100% ")).split()
    for i, key in enumerate(COLUMNS):
        for j, setting in enumerate(("all", "visual")):
            values[(2, key, setting, "", "share")] = int(shares[2 * i + j][:-1]) / 100
    for label, model in TABLE2_ROWS.items():
        row = _values(table2, label, 20)
        for i, key in enumerate(COLUMNS):
            for j, setting in enumerate(("all", "visual")):
                if row[2 * i + j] != "-":
                    values[(2, key, setting, model, "rho")] = float(row[2 * i + j])
    table3 = _block(lines, "Table 3: Spearman", "this end, we randomly")
    for label, (model, images) in TABLE3_ROWS.items():
        for key, value in zip(COLUMNS, _values(table3, label, 10), strict=True):
            values[(3, key, images, model, "rho")] = float(value)
    table6 = _block(lines, "Table 6: Results", "4.3 Task 2")
    for label, model in TABLE6_ROWS.items():
        for measure, value in zip(RECALL, _values(table6, label, 6), strict=True):
            values[(6, "flickr30k", "test", model, measure)] = float(value)
    return values


def test_every_published_value_is_the_papers(paper: dict[tuple, float]) -> None:
    shipped = read_published()
    keys = ["table", "benchmark", "setting", "model", "measure"]
    rows = {tuple(r[:5]): r[5] for r in shipped[[*keys, "value"]].itertuples(index=False)}
    assert len(rows) == len(shipped)  # no key twice
    assert rows == paper
    assert len(paper) == 10 + 20 + 160 + 70 + 30


def test_published_file_names_its_source() -> None:
    text = files("crossmodal.pixie").joinpath("published/ailem2018.csv").read_text("utf-8")
    comments = " ".join(line for line in text.splitlines() if line.startswith("#"))
    for fact in ("Ailem", "EMNLP 2018", "Table 2", "Table 3", "Table 6"):
        assert fact in comments
    assert pd.notna(read_published()["value"]).all()
