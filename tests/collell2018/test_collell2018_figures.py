"""The report's figures on small fixture tables (files written, one bar per number of the table,
clear errors on bad tables), and `snakemake --report` on fixture results: every report target
appears in the HTML with its caption rendered."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from snakemake_runner import demo_config, run_snakemake, write_config

from crossmodal.collell2018.figures import plot_table1, plot_word_similarity, table1_k
from crossmodal.collell2018.untrained import summarise
from crossmodal.core.errors import InputError
from crossmodal.core.provenance import read_table
from crossmodal.report.table_view import table_html


def table1_fixture(k: int = 10) -> pd.DataFrame:
    """Two datasets with 3 and 2 settings, mNNO(f(X),X) > mNNO(f(X),Y) as in the paper."""
    rng = np.random.default_rng(0)
    rows = []
    for dataset, pairs in (
        ("alpha", [("v1", "t1"), ("v2", "t1"), ("v1", "t2")]),
        ("beta", [("v1", "t1"), ("v2", "t2")]),
    ):
        for visual, text in pairs:
            rows.append(
                {
                    "dataset": dataset,
                    "visual": visual,
                    "text": text,
                    "direction": "t2i",
                    "mapping": "lin",
                    "epochs": 15,
                    "folds": 5,
                    f"mnno_fx_x_k{k}": rng.uniform(0.4, 0.8),
                    f"mnno_fx_x_k{k}_std": rng.uniform(0, 0.05),
                    f"mnno_fx_y_k{k}": rng.uniform(0.05, 0.2),
                    f"mnno_fx_y_k{k}_std": np.nan,  # one fold: no std
                    f"mnno_x_y_k{k}": rng.uniform(0.05, 0.2),
                    f"mnno_x_y_k{k}_std": rng.uniform(0, 0.05),
                }
            )
    return pd.DataFrame(rows)


def table2_fixture() -> pd.DataFrame:
    """Table 2 built by crossmodal.collell2018.untrained.summarise from synthetic per-seed
    scores: 3 embeddings, 2 benchmarks, 2 similarities, f_lin and f_nn, 6 seeds; f_nn(X) on 'ws'
    shifted well below X; 'simlex' covers too few pairs for a test."""
    rng = np.random.default_rng(1)
    rows = []
    for embedding in ("tux-cnn", "tux-bovw", "demo-sgns"):
        for benchmark, pairs in (("ws", 300), ("simlex", 8)):
            for similarity in ("cosine", "euclidean"):
                rho_x = rng.uniform(0.2, 0.6)
                for network, depth in (("lin", 0), ("nn", 1)):
                    shift = -0.3 if (benchmark, network) == ("ws", "nn") else 0.0
                    for seed in range(6):
                        rows.append(
                            {
                                "embedding": embedding,
                                "benchmark": benchmark,
                                "similarity": similarity,
                                "network": network,
                                "hidden_layers": depth,
                                "seed": seed,
                                "pairs_used": pairs,
                                "pairs_total": 353,
                                "rho_x": rho_x,
                                "rho_fx": rho_x + shift + rng.normal(0, 0.01),
                                "rho_x_boot": rho_x + rng.normal(0, 0.01),
                                "rho_fx_boot": rho_x + shift + rng.normal(0, 0.01),
                            }
                        )
    return summarise(pd.DataFrame(rows), alpha=0.05, min_pairs=10)


def bars(fig) -> int:
    return sum(len(ax.patches) for ax in fig.axes)


def assert_written(png: Path, pdf: Path) -> None:
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 5000
    assert pdf.read_bytes()[:5] == b"%PDF-" and pdf.stat().st_size > 1000


def test_table1_chart_has_two_bars_and_a_baseline_per_setting(tmp_path):
    path = tmp_path / "table1.csv"
    table1_fixture().to_csv(path, index=False)
    table = read_table(path)
    fig = plot_table1(table, tmp_path / "t1.png", tmp_path / "t1.pdf", source=str(path))
    assert_written(tmp_path / "t1.png", tmp_path / "t1.pdf")
    # one panel per dataset, sized by its settings
    assert [len(ax.get_yticks()) for ax in fig.axes] == [3, 2]
    assert [ax.get_title() for ax in fig.axes] == ["alpha", "beta"]
    assert bars(fig) == 2 * len(table)
    # bar lengths are the table's numbers, blue f(X),X then orange f(X),Y
    widths = sorted(p.get_width() for ax in fig.axes for p in ax.patches)
    expected = sorted([*table["mnno_fx_x_k10"], *table["mnno_fx_y_k10"]])
    np.testing.assert_allclose(widths, expected)
    baselines = [c for ax in fig.axes for c in ax.collections if c.get_label().endswith("baseline")]
    assert sum(len(c.get_segments()) for c in baselines) == len(table)


def test_table1_k_is_read_from_the_column_names():
    assert table1_k(table1_fixture(k=7), "t.csv") == 7
    both = pd.concat([table1_fixture(k=7), table1_fixture(k=10)])
    with pytest.raises(InputError, match="t.csv: expected exactly one column mnno_fx_x_k"):
        table1_k(both, "t.csv")


def test_word_similarity_chart_has_one_bar_per_number_and_marks_significance(tmp_path):
    table = table2_fixture()
    path = tmp_path / "table2.csv"
    table.to_csv(path, index=False)
    table = read_table(path)
    fig = plot_word_similarity(table, tmp_path / "ws.png", tmp_path / "ws.pdf")
    assert_written(tmp_path / "ws.png", tmp_path / "ws.pdf")
    panels = [ax for ax in fig.axes if ax.patches]
    assert [ax.get_title() for ax in panels] == [
        "ws, cosine",
        "simlex, cosine",
        "ws, euclidean",
        "simlex, euclidean",
    ]
    # per benchmark, similarity and embedding: rho(X), rho(f_lin(X)) and rho(f_nn(X))
    assert bars(fig) == 4 * 3 * (1 + 2)
    heights = sorted(p.get_height() for p in fig.axes[0].patches)
    ws = table[(table["benchmark"] == "ws") & (table["similarity"] == "cosine")]
    expected = sorted([*ws.drop_duplicates("embedding")["rho_x"], *ws["rho_fx_mean"]])
    np.testing.assert_allclose(heights, expected, atol=1e-4)
    stars = [t for ax in panels for t in ax.texts if t.get_text() == "*"]
    assert table["significant"].any() and len(stars) == int(table["significant"].sum())
    # coverage of each embedding under its bars, and whether it was tested
    ws_ticks, simlex_ticks = (ax.get_xticklabels() for ax in panels[:2])
    assert all(t.get_text().endswith("300/353 pairs") for t in ws_ticks)
    assert all(t.get_text().endswith("8/353 pairs, untested") for t in simlex_ticks)


def test_empty_table2_gives_a_figure_that_says_so(tmp_path):
    path = tmp_path / "table2.csv"
    summarise(pd.DataFrame(), alpha=0.05, min_pairs=10).to_csv(path, index=False)
    fig = plot_word_similarity(read_table(path), tmp_path / "ws.png", tmp_path / "ws.pdf")
    assert bars(fig) == 0
    assert "no word embeddings" in fig.axes[0].texts[0].get_text()
    assert (tmp_path / "ws.png").stat().st_size > 0 and (tmp_path / "ws.pdf").stat().st_size > 0


def test_bad_tables_are_refused_with_the_file_name(tmp_path):
    with pytest.raises(InputError, match="nowhere.csv: file not found"):
        read_table(tmp_path / "nowhere.csv")
    path = tmp_path / "table2.csv"
    table2_fixture().drop(columns="rho_x").to_csv(path, index=False)
    with pytest.raises(InputError, match=r"table2.csv: missing column\(s\) rho_x"):
        read_table(path, ["embedding", "rho_x"])
    with pytest.raises(InputError, match=r"t2: missing column\(s\) rho_x"):
        plot_word_similarity(read_table(path), tmp_path / "a.png", tmp_path / "a.pdf", "t2")
    with pytest.raises(InputError, match="t1: Table 1 has no rows"):
        plot_table1(table1_fixture().iloc[:0], tmp_path / "b.png", tmp_path / "b.pdf", "t1")


def report_targets(workdir: Path, configfile: Path) -> list[str]:
    """Report targets of a config, from a dry run of rule run_report (its input list)."""
    result = run_snakemake(workdir, configfile, "run_report", "-n")
    assert result.returncode == 0, result.stderr[-3000:] + result.stdout[-3000:]
    block = result.stdout.split("rule run_report:")[1]
    line = next(row for row in block.splitlines() if row.strip().startswith("input:"))
    return [path.strip() for path in line.split("input:")[1].split(",")]


@pytest.mark.workflow
def test_report_holds_every_target_with_its_caption(tmp_path):
    """Fixture results at every report target (figures drawn by the real functions), then
    `snakemake --report`: each file is listed in the HTML, captions rendered (a broken .rst or
    a missing caption file fails the command)."""
    configfile = write_config(tmp_path, demo_config())
    targets = report_targets(tmp_path, configfile)
    assert "results/figures/collell2018_table1.png" in targets
    assert "results/tables/tuxpaint/data_summary.csv" in targets
    assert "results/tables/table1.html" in targets
    for target in sorted(targets):  # each .csv before its .html view
        path = tmp_path / target
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix == ".png":
            plot_table1(table1_fixture(), path, path.with_suffix(".pdf"))
        elif path.suffix == ".csv":
            pd.DataFrame({"count": ["images"], "value": [1]}).to_csv(path, index=False)
        else:
            csv = path.with_suffix(".csv")
            path.write_text(table_html(pd.read_csv(csv), csv, target))
    report = tmp_path / "report.html"
    result = run_snakemake(tmp_path, configfile, "run_report", "--report", str(report), cores=None)
    assert result.returncode == 0, result.stderr[-3000:]
    html = report.read_text()
    for target in targets:
        assert Path(target).name in html, target
    for words in ("Collell &amp; Moens (2018), Table 1", "Not a number of the paper"):
        assert words in html or words.replace("&amp;", "&") in html, words
