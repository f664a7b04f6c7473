"""The one way tests start Snakemake: the project's Snakefile on a temporary working directory
(``-d``), so the project's own results/ are never touched.

Every test that starts Snakemake must carry the ``workflow`` marker, so that
``pytest -m "not workflow"`` stays a fast inner loop. Forgetting it cannot go unnoticed: the
suite's conftest tells this module which test is running (:func:`set_current_test`), and
:func:`snakemake_command` fails a test without the marker before anything starts.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest
import yaml
from project_paths import PROJECT

SNAKEFILE = PROJECT / "Snakefile"
#: Arguments of a dry run whose output is the "Job stats" table that :func:`planned_rules` reads.
DRY_RUN = ("-n", "--quiet", "rules")

_current: list[pytest.Item] = []


def set_current_test(item: pytest.Item | None) -> None:
    """Record the test being run (None after it), for the marker check."""
    _current[:] = [] if item is None else [item]


def build_command(
    workdir: Path, configfile: Path | Sequence[Path] | None, *args: str, cores: int | None = 1
) -> list[str]:
    """The command line, with ``args`` (targets and options) first: options that take several
    values (``--allowed-rules``, ``--quiet``) then end at ``-s`` instead of swallowing what
    follows, and ``--configfile=`` is one word for the same reason. Several config files (merged
    in order, as a user names them) follow one ``--configfile`` and end at ``--cores`` or at the
    end of the line. ``configfile=None`` gives none, so that the Snakefile reads
    ``config/config.yaml`` of the working directory. ``cores=None`` leaves the number of cores
    to a profile."""
    command = [sys.executable, "-m", "snakemake", *args, "-s", str(SNAKEFILE), "-d", str(workdir)]
    if isinstance(configfile, Path):
        command.append(f"--configfile={configfile}")
    elif configfile is not None:
        command += ["--configfile", *map(str, configfile)]
    return command if cores is None else [*command, "--cores", str(cores)]


def snakemake_command(
    workdir: Path, configfile: Path | Sequence[Path] | None, *args: str, cores: int | None = 1
) -> list[str]:
    """:func:`build_command`, refused to a test without the ``workflow`` marker (for tests that
    start the command themselves, e.g. to interrupt it)."""
    item = _current[0] if _current else None
    if item is None:
        pytest.fail("Snakemake started outside a running test", pytrace=False)
    if item.get_closest_marker("workflow") is None:
        pytest.fail(
            f"{item.nodeid} starts Snakemake but is not marked workflow: add "
            "@pytest.mark.workflow (or pytestmark = pytest.mark.workflow to its module)",
            pytrace=False,
        )
    return build_command(workdir, configfile, *args, cores=cores)


def run_snakemake(
    workdir: Path,
    configfile: Path | Sequence[Path] | None,
    *args: str,
    cores: int | None = 1,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float = 900,
) -> subprocess.CompletedProcess:
    """Run Snakemake to the end (or ``timeout`` seconds) with its output captured as text."""
    return subprocess.run(
        snakemake_command(workdir, configfile, *args, cores=cores),
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        cwd=cwd,
    )


def output_text(run: subprocess.CompletedProcess) -> str:
    """Everything a run printed (Snakemake writes its log to stderr, job output to stdout)."""
    return run.stdout + run.stderr


def planned_rules(run: subprocess.CompletedProcess) -> dict[str, int]:
    """Rule -> job count from the "Job stats" table of a dry run (:data:`DRY_RUN`)."""
    assert run.returncode == 0, run.stderr[-3000:] + run.stdout[-3000:]
    rows = re.findall(r"^(\w+)\s+(\d+)$", output_text(run), re.MULTILINE)
    return {rule: int(count) for rule, count in rows if rule != "total"}


def demo_config() -> dict:
    """The demo config (config/config.yaml), for a test to change and write back."""
    return yaml.safe_load((PROJECT / "config/config.yaml").read_text())


def write_config(root: Path, config: dict, name: str = "config.yaml") -> Path:
    """Write ``config`` as YAML into ``root`` and return its path."""
    path = root / name
    path.write_text(yaml.safe_dump(config))
    return path
