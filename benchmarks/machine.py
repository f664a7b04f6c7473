"""What every benchmark records beside its timings: the machine it ran on, and where results go.

Ratios against a peer are only comparable within one run on one machine, so each results file
carries the machine, its CPU count and the load at the start (other jobs slow every method alike).
"""

import datetime
import os
import platform
from pathlib import Path

import pandas as pd

RESULTS = Path(__file__).parent / "results"


def describe_machine() -> tuple[str, int]:
    """(machine description, CPU count), printed as the benchmark's first line."""
    cpus = os.cpu_count() or 1
    machine = f"{platform.node()} {platform.machine()} {platform.processor() or ''}".strip()
    print(
        f"machine: {machine} cpus={cpus} python={platform.python_version()} "
        f"load={os.getloadavg()[0]:.2f}"
    )
    return machine, cpus


def save_results(table: pd.DataFrame, name: str, machine: str, cpus: int) -> Path:
    """Write ``table`` with machine and CPU columns to results/<date>-<host>-<name>.csv."""
    table = table.copy()
    table.insert(0, "cpus", cpus)
    table.insert(0, "machine", machine)
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{datetime.date.today()}-{platform.node()}-{name}.csv"
    table.to_csv(path, index=False)
    print(f"written: {path}")
    return path
