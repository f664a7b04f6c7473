"""The paper's published Tables 1 and 2 shipped as data: every number as printed in the paper's
text, in the order of its table, and joined beside ours on the full config's names."""

import re
from importlib.resources import files

import numpy as np
import pandas as pd
import pytest
from project_paths import SHARED

from crossmodal.collell2018.evaluation import SETTING
from crossmodal.collell2018.published import (
    TABLE1_FILE,
    TABLE2_FILE,
    table1_beside,
    table2_beside,
)

PAPER = SHARED / "papers/collell-moens-2018.txt"
NUMBER = r"\d\.\d+"


def paper_lines(first: str, last: str) -> list[str]:
    """The paper's lines from the one starting with ``first`` up to the one with ``last``."""
    if not PAPER.is_file():
        pytest.skip(f"{PAPER} not present (the paper lives beside the project in ../shared)")
    lines = PAPER.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(first))
    end = next(i for i in range(start, len(lines)) if last in lines[i])
    return lines[start:end]


def as_printed(name: str) -> pd.DataFrame:
    """A published table with its numbers as the text they were copied from."""
    with files("crossmodal.collell2018").joinpath(name).open(encoding="utf-8") as handle:
        return pd.read_csv(handle, comment="#", dtype=str)


def test_table1_numbers_are_the_papers_in_its_layout():
    rows = [
        line for line in paper_lines("ResNet VGG-128", "Table 1:") if re.match(r"(lin|nn) ", line)
    ]
    printed = [re.findall(NUMBER, line) for line in rows]
    assert len(printed) == 12 and all(len(numbers) == 4 for numbers in printed)
    table = as_printed(TABLE1_FILE)
    ours = []
    for dataset in ("imagenet", "iaprtc", "wiki"):  # blocks in the paper's order
        for direction in ("i2t", "t2i"):
            for mapping in ("lin", "nn"):
                numbers = []
                for visual in ("resnet", "vgg128"):
                    row = table[
                        (table["dataset"] == dataset)
                        & (table["direction"] == direction)
                        & (table["mapping"] == mapping)
                        & (table["visual"] == visual)
                    ]
                    assert len(row) == 1
                    numbers += [row["mnno_fx_x"].iloc[0], row["mnno_fx_y"].iloc[0]]
                ours.append(numbers)
    assert ours == printed
    text = {"imagenet": "glove", "iaprtc": "bigru", "wiki": "bigru"}
    assert (table["text"] == table["dataset"].map(text)).all()


def test_table2_numbers_are_the_papers_in_its_layout():
    lines = paper_lines("WS-353 Men SemSim", "Table 2:")
    printed = [
        re.findall(NUMBER, line) for line in lines if re.search(r"(GloVe|ResNet)\)? \d", line)
    ]
    assert len(printed) == 12 and all(len(numbers) == 6 for numbers in printed)
    table = as_printed(TABLE2_FILE)
    ours = []
    for benchmarks in (("ws353", "men", "semsim"), ("vissim", "simlex999", "simverb3500")):
        for embedding in ("imagenet-glove", "imagenet-resnet"):
            for network in ("nn", "lin", "input"):  # the printed rows: f_nn, f_lin, X
                numbers = []
                for benchmark in benchmarks:
                    for similarity in ("cosine", "euclidean"):
                        row = table[
                            (table["embedding"] == embedding)
                            & (table["benchmark"] == benchmark)
                            & (table["similarity"] == similarity)
                            & (table["network"] == network)
                        ]
                        assert len(row) == 1
                        numbers.append(row["rho"].iloc[0])
                ours.append(numbers)
    assert ours == printed


def test_table1_beside_ours_joins_on_the_full_configs_names():
    ours = pd.DataFrame(
        {
            "dataset": ["imagenet", "tuxpaint"],
            "visual": ["resnet", "bovw_k256"],
            "text": ["glove", "demo-sgns_d100"],
            "direction": ["i2t", "t2i"],
            "mapping": ["lin", "lin"],
            "mnno_fx_x_k10": [0.7, 0.5],
            "mnno_fx_y_k10": [0.2, 0.1],
        }
    )
    table = table1_beside(ours)
    assert len(table) == 24  # the paper's rows only; the demo row has no counterpart
    row = table[(table["dataset"] == "imagenet") & (table["visual"] == "resnet")]
    row = row[(row["direction"] == "i2t") & (row["mapping"] == "lin")].iloc[0]
    assert (row["paper_mnno_fx_x"], row["ours_mnno_fx_x"], row["ours_k"]) == (0.681, 0.7, 10)
    assert row["difference_fx_x"] == pytest.approx(0.7 - 0.681)
    assert row["difference_fx_y"] == pytest.approx(0.2 - 0.262)
    assert table["ours_mnno_fx_x"].isna().sum() == 23
    assert list(table.columns[: len(SETTING)]) == list(SETTING)


def test_table2_beside_ours_has_the_input_row_from_rho_x():
    ours = pd.DataFrame(
        {
            "embedding": "imagenet-glove",
            "benchmark": "ws353",
            "similarity": "cosine",
            "network": ["nn", "lin"],
            "rho_x": 0.6,
            "rho_fx_mean": [0.62, 0.59],
        }
    )
    keys = ["embedding", "benchmark", "similarity", "network"]
    table = table2_beside(ours).set_index(keys).sort_index()
    assert len(table) == 72
    rows = table.loc[("imagenet-glove", "ws353", "cosine")]
    assert rows["paper_rho"].to_dict() == {"nn": 0.632, "lin": 0.63, "input": 0.632}
    assert rows["ours_rho"].to_dict() == {"nn": 0.62, "lin": 0.59, "input": 0.6}
    assert rows.loc["nn", "difference"] == pytest.approx(0.62 - 0.632)
    assert np.isnan(table.loc[("imagenet-resnet", "ws353", "cosine", "nn"), "ours_rho"])
