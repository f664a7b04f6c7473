"""Report places from the one table: every report item's category, subcategory and labels,
figure vs table kinds, the HTML views of tables (data summaries per dataset), bad entries."""

from pathlib import Path

import pytest

from crossmodal.core.errors import InputError
from crossmodal.report.places import figures, read_places, report_flags, table_views

PLACES = Path(__file__).resolve().parents[2] / "workflow/report/places.yaml"


def test_the_workflow_table_reads_and_has_figures_and_tables():
    places = read_places(PLACES)
    assert report_flags(places, "tables/table1") == {
        "category": "Collell & Moens (2018)",
        "subcategory": "Table 1",
        "labels": {"result": "Table 1", "kind": "table"},
    }
    figure = report_flags(places, "figures/nuswide_predicted_tags")
    table = report_flags(places, "tables/nuswide_predicted_tags")
    assert figure["labels"] == {"result": "predicted tags", "kind": "figure"}
    assert table["labels"] == {"result": "predicted tags", "kind": "table"}
    assert "results/figures/collell2018_table1.png" in figures(places)
    assert all(path.startswith("results/figures/") for path in figures(places))


def test_table_views_sit_beside_their_csv_with_a_title():
    places = read_places(PLACES)
    views = table_views(places, ["tux", "pics"])
    assert views["collell2018/mappings"] == {
        "category": "Collell & Moens (2018)",
        "subcategory": "Supplement",
        "labels": {"result": "all mapping variants", "kind": "table (view)"},
        "title": "Collell & Moens (2018), Supplement: all mapping variants "
        "(results/tables/collell2018/mappings.csv)",
    }
    assert views["pics/data_summary"]["title"] == (
        "Data: pics image counts (results/tables/pics/data_summary.csv)"
    )
    assert views["tux/visual_vocabulary"]["labels"]["result"] == "tux visual vocabulary"
    assert not any("{dataset}" in table for table in views)
    assert not any(table.startswith("figures") for table in table_views(places, []))


@pytest.mark.bad_input
def test_an_entry_that_is_not_a_place_is_named(tmp_path):
    path = tmp_path / "places.yaml"
    path.write_text("tables/x: [Only, two]\n")
    with pytest.raises(InputError, match=r"places\.yaml: tables/x: expected"):
        read_places(path)
