"""Config files: read with their path in every message, an emptied mapping that the merge of
config files lost is refused, and the switch that works in an overlay empties its mapping."""

from __future__ import annotations

import copy

import pytest
import yaml
from project_paths import PROJECT

from crossmodal.core.config import check_config
from crossmodal.core.config_files import apply_switches, check_overlays, main, read_config_file
from crossmodal.core.errors import InputError

SCHEMA = PROJECT / "workflow/schemas/config.schema.yaml"
DEMO = yaml.safe_load((PROJECT / "config/config.yaml").read_text())


@pytest.mark.bad_input
@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("a:\n  b: {c: 1\n", r"c\.yaml: YAML syntax error at line 3, column 1: expected ','"),
        ("a: b\n  c: d\n", r"c\.yaml: YAML syntax error at line 2, column 4: mapping values"),
        ("", r"c\.yaml: empty config file"),
        ("# only a comment\n", r"c\.yaml: empty config file"),
        (
            "- 1\n- 2\n",
            r"c\.yaml: expected config sections \(key: value\) at the top, found a list",
        ),
    ],
    ids=["unclosed-mapping", "bad-indent", "empty", "comment-only", "list"],
)
def test_unreadable_config_files_are_named_with_their_line(tmp_path, content, expected):
    (tmp_path / "c.yaml").write_text(content)
    with pytest.raises(InputError, match=expected) as caught:
        read_config_file(tmp_path / "c.yaml")
    assert "\n" not in str(caught.value)


def test_the_config_check_command_names_each_bad_file(tmp_path, capsys):
    (tmp_path / "good.yaml").write_text("a: 1\n")
    (tmp_path / "bad.yaml").write_text("")
    assert main([str(tmp_path / "good.yaml"), str(tmp_path / "bad.yaml")]) == 1
    out, err = capsys.readouterr()
    assert "good.yaml: readable config file" in out and "bad.yaml: empty config file" in err
    assert main([str(tmp_path / "good.yaml")]) == 0


def merged(tmp_path, *layers: dict) -> tuple[dict, list]:
    """Config files of ``layers`` and their merge as Snakemake makes it (key by key)."""
    from snakemake.utils import update_config

    files, config = [], {}
    for number, layer in enumerate(layers):
        files.append(tmp_path / f"{number}.yaml")
        files[-1].write_text(yaml.safe_dump(layer))
        update_config(config, copy.deepcopy(layer))
    return config, files


@pytest.mark.bad_input
def test_an_emptied_mapping_lost_in_the_merge_is_refused(tmp_path):
    overlay = {"collell2018": {"selection": {"grid": {}}}}
    config, files = merged(tmp_path, DEMO, overlay)
    assert config["collell2018"]["selection"]["grid"]  # the demo's grid survived the merge
    with pytest.raises(InputError, match=r"1\.yaml: collell2018\.selection\.grid: \{\} cannot "):
        check_overlays(config, files)
    with pytest.raises(InputError, match="set collell2018.selection.enabled: false instead"):
        check_overlays(config, files)
    config, files = merged(tmp_path, DEMO, {"text": {"pretrained": {}, "sgns": {"dim": 8}}})
    check_overlays(config, files)  # the demo has no pretrained vectors: nothing was lost
    config, files = merged(tmp_path, DEMO, {"vision": {"cnn": {}}})
    with pytest.raises(InputError, match=r"vision\.cnn: \{\} .* give the config in one file"):
        check_overlays(config, files)


def test_an_identical_or_single_file_is_not_an_overlay_mistake(tmp_path):
    config, files = merged(tmp_path, DEMO, DEMO)
    check_overlays(config, files)
    single = {"collell2018": {"selection": {"grid": {}}}}
    config, files = merged(tmp_path, single)
    check_overlays(config, files)


def test_selection_switch_empties_the_grid_after_validation():
    config = copy.deepcopy(DEMO)
    check_config(config, SCHEMA)
    assert config["collell2018"]["selection"]["enabled"] is True
    assert config["collell2018"]["selection"]["grid"] == DEMO["collell2018"]["selection"]["grid"]
    config = copy.deepcopy(DEMO)
    config["collell2018"]["selection"]["enabled"] = False
    check_config(config, SCHEMA)
    assert config["collell2018"]["selection"]["grid"] == {}
    apply_switches(config)  # idempotent
    assert config["collell2018"]["selection"]["grid"] == {}
