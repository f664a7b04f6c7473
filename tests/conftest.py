"""Suite-wide fixtures and hooks: the reliability summary (every bad input gets a clear error,
no fault loses work), and the running test told to the Snakemake runner, which refuses to start
Snakemake for a test without the ``workflow`` marker (tests/snakemake_runner.py).

Tests marked ``bad_input`` feed the workflow or the package one real-world mistake each; tests
marked ``fault`` interrupt real runs. The session summary counts both, wherever in tests/ they
are, and says whether every one of them passed: each checks that no traceback reached the user
and that nothing computed before was lost or overwritten.
"""

from __future__ import annotations

from collections.abc import Generator

import pytest
import snakemake_runner
import torch

MARKERS = ("bad_input", "fault")


@pytest.fixture(autouse=True)
def one_torch_thread() -> None:
    """Torch on one thread in every test: the suite's models are tiny, and on a few cores
    torch's thread pool costs more than it gains (tests/models/test_mapping.py: 52 s of
    CPU with the default threads, 13 s with one). Set before each test, not once, because a
    library may change it in-process (faiss.omp_set_num_threads in the codebook does). Snakemake
    runs started by tests are other processes and keep their rules' threads."""
    torch.set_num_threads(1)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(
    item: pytest.Item, nextitem: pytest.Item | None
) -> Generator[None, object, object]:
    """The test being run (its fixtures' setup and teardown included), for the runner."""
    snakemake_runner.set_current_test(item)
    try:
        return (yield)
    finally:
        snakemake_runner.set_current_test(None)


def pytest_collection_finish(session: pytest.Session) -> None:
    """Record the marked tests that will run (after -k / -m deselection)."""
    session.config.stash[_tried] = {
        marker: [item.nodeid for item in session.items if item.get_closest_marker(marker)]
        for marker in MARKERS
    }


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    tried = config.stash.get(_tried, None)
    if not tried or not any(tried.values()) or config.option.collectonly:
        return
    stats = terminalreporter.stats
    failed = {report.nodeid for key in ("failed", "error") for report in stats.get(key, [])}
    skipped = {report.nodeid for report in stats.get("skipped", [])}
    passed = {report.nodeid for report in stats.get("passed", []) if report.when == "call"}
    terminalreporter.section("reliability")
    for marker, label in (("bad_input", "bad inputs"), ("fault", "faults")):
        ids = tried[marker]
        if not ids:
            continue
        bad = [nodeid for nodeid in ids if nodeid in failed]
        skip = [nodeid for nodeid in ids if nodeid in skipped and nodeid not in failed]
        # Only a test that ran and passed counts as handled (not one left out by -x or Ctrl-C).
        handled = [nodeid for nodeid in ids if nodeid in passed and nodeid not in failed]
        not_run = len(ids) - len(bad) - len(skip) - len(handled)
        terminalreporter.write_line(
            f"{len(ids)} {label} tried: {len(handled)} handled cleanly "
            f"(clear one-line error or full recovery, no traceback, no lost output), "
            f"{len(bad)} failed, {len(skip)} skipped" + (f", {not_run} not run" if not_run else "")
        )
        for nodeid in bad:
            terminalreporter.write_line(f"  FAILED {nodeid}")


_tried = pytest.StashKey[dict[str, list[str]]]()
