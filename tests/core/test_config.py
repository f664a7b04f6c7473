"""Config validation: both shipped configs pass; mistakes are reported by dotted key."""

import copy

import pytest
import yaml
from project_paths import PROJECT

from crossmodal.core.config import validate_config
from crossmodal.core.errors import InputError

SCHEMA = PROJECT / "workflow/schemas/config.schema.yaml"


def load(name):
    return yaml.safe_load((PROJECT / "config" / name).read_text())


@pytest.mark.parametrize("name", ["config.yaml", "full.yaml"])
def test_shipped_configs_are_valid(name):
    assert (PROJECT / "config" / name).is_file(), f"config/{name} is shipped but missing"
    validate_config(load(name), SCHEMA)


def test_defaults_are_filled_in():
    config = load("config.yaml")
    del config["vision"]["sift"]["step"]
    validate_config(config, SCHEMA)
    assert config["vision"]["sift"]["step"] == 8


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda c: c.update(bogus=1), r"unknown key\(s\) bogus in config"),
        (lambda c: c["vision"]["codebook"].update(k=-3), r"vision\.codebook\.k: -3 is less than"),
        (lambda c: c["text"]["sgns"].update(dim=0), r"text\.sgns\.dim: 0 is less than"),
        (lambda c: c["vision"]["codebook"].update(k="many"), r"vision\.codebook\.k: 'many' is not"),
        (lambda c: c["text"].pop("sgns"), r"config key text: 'sgns' is a required property$"),
        (
            lambda c: c.pop("datasets"),
            r"config key \(top level\): 'datasets' is a required property \(a --configfile "
            r"replaces config/config.yaml; to add a file to it, name both: --configfile "
            r"config/config.yaml yours.yaml\)",
        ),
        (
            lambda c: c["resources"].update(default={"mem_mb": 8000}),
            r"unknown key\(s\) default in resources; allowed keys: torch",
        ),
    ],
)
@pytest.mark.bad_input
def test_mistakes_name_the_key(edit, message):
    config = copy.deepcopy(load("config.yaml"))
    edit(config)
    with pytest.raises(InputError, match=message):
        validate_config(config, SCHEMA)


def test_command_line_strings_become_the_types_the_schema_expects():
    # `--config "vision={codebook: {k: 128}}"` reaches the config with every value a string.
    config = load("config.yaml")
    config["vision"]["codebook"].update(k="128", max_images="null")
    config["text"]["sgns"].update(sample="0.01", deterministic="false")
    validate_config(config, SCHEMA)
    assert config["vision"]["codebook"]["k"] == 128
    assert config["vision"]["codebook"]["max_images"] is None
    assert config["text"]["sgns"]["sample"] == 0.01
    assert config["text"]["sgns"]["deterministic"] is False
