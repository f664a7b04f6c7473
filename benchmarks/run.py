"""The performance suite (`make bench`): every hot path of crossmodal against its peer on the same
data in the same run, printed as one table and written to benchmarks/results/<date>-<machine>.csv.

    .venv/bin/python benchmarks/run.py [NAME ...]     # only the hot paths whose key contains NAME

Each side of each hot path runs in its own process (``--child``), started through
benchmarks/peak.py, which reports that process's peak RSS (Python, the libraries and the data
included). ratio = peer seconds / our seconds (above 1: ours is faster; for training, the ratio
of words/s). ``target`` is the least ratio the issue asks for. The machine is shared: the load
average is recorded at the start of every hot path, and ratios are meaningful within one run.
The PIXIE row comes from benchmarks/bench_pixie.py (run as it is, its CSV read back); the
workflow rows time Snakemake dry runs and summarise the demo's Snakemake benchmark files.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import pickle
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import bench_cli
import bench_cnn
import bench_codebook
import bench_mnno
import bench_sift
import bench_text
import bench_workflow
import pandas as pd
from machine import RESULTS
from suite import HotPath

HERE = Path(__file__).parent
HOT_PATHS: dict[str, HotPath] = {
    **bench_mnno.HOT_PATHS,
    **bench_sift.HOT_PATHS,
    **bench_cnn.HOT_PATHS,
    **bench_codebook.HOT_PATHS,
    **bench_text.HOT_PATHS,
    **bench_cli.HOT_PATHS,
}
COLUMNS = [
    "hot_path",
    "data",
    "ours",
    "ours_s",
    "peer",
    "peer_s",
    "ratio",
    "target",
    "met",
    "check",
    "ours_rss_mb",
    "peer_rss_mb",
    "load",
]


def child(key: str, side: str, folder: Path) -> None:
    """Run one side of one hot path; the result goes to a pickle, the seconds to stdout."""
    path = HOT_PATHS[key]
    method = path.ours if side == "ours" else path.peers[int(side)]
    seconds, result = method.run(folder)
    with open(folder / f"{side}.pickle", "wb") as handle:
        pickle.dump(result, handle)
    print(json.dumps({"seconds": seconds}))


def run_side(key: str, side: str, folder: Path) -> tuple[float, float, object]:
    """(seconds, peak RSS in MB, result) of one side, run in its own process."""
    peak = folder / f"{side}.rss"
    command = [
        sys.executable,
        str(HERE / "peak.py"),
        str(peak),
        sys.executable,
        str(Path(__file__)),
    ]
    command += ["--child", key, side, str(folder)]
    process = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=False)
    if process.returncode:
        raise SystemExit(f"{key} ({side}) failed with exit code {process.returncode}")
    seconds = json.loads(process.stdout.strip().splitlines()[-1])["seconds"]
    with open(folder / f"{side}.pickle", "rb") as handle:
        result = pickle.load(handle)
    return seconds, float(peak.read_text()), result


def measure(key: str, path: HotPath) -> list[dict]:
    """One row per peer: ours runs once, each peer once, all on the same prepared input."""
    load = os.getloadavg()[0]
    print(f"[{time.strftime('%H:%M:%S')}] {key}: {path.data} (load {load:.2f})", flush=True)
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        folder = Path(tmp)
        path.prepare(folder)
        ours_s, ours_rss, ours = run_side(key, "ours", folder)
        rows = []
        for index, peer in enumerate(path.peers):
            peer_s, peer_rss, result = run_side(key, str(index), folder)
            same, text = path.check(ours, result, folder)
            ratio = peer_s / ours_s
            met = same and (peer.target is None or ratio >= peer.target)
            rows.append(
                {
                    "hot_path": path.name,
                    "data": path.data,
                    "ours": path.ours.name,
                    "ours_s": ours_s,
                    "peer": peer.name,
                    "peer_s": peer_s,
                    "ratio": ratio,
                    "target": peer.target,
                    "met": met if peer.target is not None else None,
                    "check": ("same: " if same else "DIFFERENT: ") + text,
                    "ours_rss_mb": ours_rss,
                    "peer_rss_mb": peer_rss,
                    "load": load,
                }
            )
            print(
                f"    {peer.name}: ours {ours_s:.2f} s, peer {peer_s:.2f} s, "
                f"ratio {ratio:.2f}; {rows[-1]['check']}",
                flush=True,
            )
    return rows


def print_table(table: pd.DataFrame) -> None:
    shown = table.copy()
    for column in ("ours_s", "peer_s", "ratio", "target", "load"):
        shown[column] = shown[column].map(lambda x: "" if pd.isna(x) else f"{x:.2f}")
    for column in ("ours_rss_mb", "peer_rss_mb"):
        shown[column] = shown[column].map(lambda x: "" if pd.isna(x) else f"{x:.0f}")
    shown["met"] = shown["met"].map({True: "yes", False: "NO"}).fillna("")
    with pd.option_context("display.max_colwidth", 90, "display.width", 250):
        print(shown.drop(columns="check").to_string(index=False))
        print()
        print(shown[["hot_path", "data", "peer", "check"]].to_string(index=False))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="run only hot paths whose key contains one")
    parser.add_argument("--child", nargs=3, metavar=("KEY", "SIDE", "FOLDER"), help="internal")
    args = parser.parse_args()
    if args.child:
        key, side, folder = args.child
        child(key, side, Path(folder))
        return
    selected = [
        k
        for k in [*HOT_PATHS, "pixie", "workflow", "rehearsal"]
        if not args.names or any(name in k for name in args.names)
    ]
    cpus = os.cpu_count() or 1
    machine = platform.node()
    print(
        f"machine: {machine} {platform.machine()} cpus={cpus} python={platform.python_version()} "
        f"load={os.getloadavg()[0]:.2f} start={datetime.datetime.now():%Y-%m-%d %H:%M:%S}",
        flush=True,
    )
    start = time.perf_counter()
    rows = []
    for key in selected:
        if key == "pixie":
            rows += bench_workflow.pixie_rows(HERE / "bench_pixie.py", cpus)
        elif key == "workflow":
            rows += bench_workflow.workflow_rows()
        elif key == "rehearsal":
            rows.append(bench_workflow.rehearsal_row(cpus))
        else:
            rows += measure(key, HOT_PATHS[key])
    table = pd.DataFrame(rows, columns=COLUMNS)
    table.insert(0, "cpus", cpus)
    table.insert(0, "machine", machine)
    print(f"\nsuite: {time.perf_counter() - start:.0f} s, load at end {os.getloadavg()[0]:.2f}\n")
    print_table(table.drop(columns=["machine", "cpus"]))
    RESULTS.mkdir(exist_ok=True)
    partial = "-partial" if args.names else ""  # a selection never replaces a full run's file
    out = RESULTS / f"{datetime.date.today()}-{machine}{partial}.csv"
    table.to_csv(out, index=False, float_format="%.4g")
    print(f"\nwritten: {out}")


if __name__ == "__main__":
    main()
