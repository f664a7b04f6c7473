"""Provenance columns of the final tables."""

import pandas as pd

from crossmodal import __version__
from crossmodal.core.provenance import PROVENANCE_COLUMNS, config_digest, write_table


def test_digest_ignores_the_number_of_shards_and_nothing_else_of_a_dataset():
    config = {"datasets": {"a": {"source": "x", "seed": 0}}, "k": 1}
    sharded = {"datasets": {"a": {"source": "x", "seed": 0, "shards": 4}}, "k": 1}
    assert config_digest(sharded) == config_digest(config)
    reseeded = {"datasets": {"a": {"source": "x", "seed": 1, "shards": 4}}, "k": 1}
    assert config_digest(reseeded) != config_digest(config)


def test_digest_ignores_key_order_and_sees_every_value():
    config = {"a": 1, "b": {"c": [1, 2], "d": "x"}}
    reordered = {"b": {"d": "x", "c": [1, 2]}, "a": 1}
    assert config_digest(config) == config_digest(reordered)
    assert config_digest(config) != config_digest({"a": 1, "b": {"c": [2, 1], "d": "x"}})
    assert len(config_digest(config)) == 64


def test_table_gets_provenance_last_and_rewriting_does_not_duplicate(tmp_path):
    path = tmp_path / "t.csv"
    write_table(pd.DataFrame({"x": [0.123456, 2.0]}), path, {"k": 1}, 7)
    table = pd.read_csv(path)
    assert list(table.columns) == ["x", *PROVENANCE_COLUMNS]
    assert table["x"].tolist() == [0.1235, 2.0]  # four decimals
    assert (table["crossmodal_version"] == __version__).all() and (table["seed"] == 7).all()
    write_table(table, path, {"k": 2}, 8)
    again = pd.read_csv(path)
    assert list(again.columns) == list(table.columns)
    assert (
        again["config_sha256"].iloc[0] == config_digest({"k": 2}) != table["config_sha256"].iloc[0]
    )
