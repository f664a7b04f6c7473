"""The Snakemake runner's guarantees: it refuses to start Snakemake for a test without the
``workflow`` marker (so ``pytest -m "not workflow"`` stays fast), its command spells options
that take values so that they swallow nothing, and no test module starts Snakemake another way
(which would bypass the marker check)."""

import re

import pytest
from project_paths import PROJECT, SHARED
from snakemake_runner import build_command, snakemake_command


def test_a_test_without_the_workflow_marker_cannot_start_snakemake(tmp_path):
    with pytest.raises(pytest.fail.Exception, match="is not marked workflow"):
        snakemake_command(tmp_path, tmp_path / "config.yaml", "all")


def test_a_test_with_the_workflow_marker_gets_the_command(request, tmp_path):
    request.node.add_marker(pytest.mark.workflow)
    command = snakemake_command(tmp_path, tmp_path / "c.yaml", "all", "-n")
    assert command == build_command(tmp_path, tmp_path / "c.yaml", "all", "-n")


def test_command_puts_targets_first_and_configfile_in_one_word(tmp_path):
    configfile = tmp_path / "c.yaml"
    command = build_command(tmp_path, configfile, "t1", "--allowed-rules", "a", "b", cores=2)
    # --allowed-rules takes several values: -s ends them, the target before it stays a target
    assert command[3:] == [
        "t1",
        "--allowed-rules",
        "a",
        "b",
        "-s",
        str(PROJECT / "Snakefile"),
        "-d",
        str(tmp_path),
        f"--configfile={configfile}",
        "--cores",
        "2",
    ]
    assert "--cores" not in build_command(tmp_path, configfile, cores=None)  # a profile's
    # no config file: the Snakefile reads config/config.yaml of the working directory
    assert not [arg for arg in build_command(tmp_path, None) if arg.startswith("--configfile")]


def test_project_and_shared_are_found():
    assert (PROJECT / "Snakefile").is_file() and (PROJECT / "tests/conftest.py").is_file()
    assert SHARED == PROJECT.parent / "shared"


# A command list that starts Snakemake: `-m snakemake` or the `snakemake` executable.
_OWN_COMMAND = re.compile(r"""["']-m["'],\s*["']snakemake["']|which\(\s*["']snakemake["']""")


def test_no_test_module_starts_snakemake_by_itself():
    helpers = {PROJECT / "tests/snakemake_runner.py", PROJECT / "tests/test_snakemake_runner.py"}
    own = [
        str(path.relative_to(PROJECT))
        for path in sorted((PROJECT / "tests").rglob("*.py"))
        if path not in helpers and _OWN_COMMAND.search(path.read_text())
    ]
    assert own == [], f"start Snakemake through tests/snakemake_runner.py instead: {own}"
