"""Rows of the suite that are not one function against a peer: PIXIE training speed (from
benchmarks/bench_pixie.py, run as it is), the workflow's own times against the issue's
targets (Snakemake dry runs, the demo's first run, and where its time goes) and the full-config
rehearsal's run_report (tests/rehearsal/rehearsal.py, run here) beside the demo's. The full config's
dry run is timed twice: as configured (NUS-WIDE's and Flickr30K's per-image stages in shards)
and with one shard per dataset, the DAG before sharding.

The dry runs use ``-n --cores 1``: they take no lock and write nothing, so they are safe beside
another engineer's run (whose pending jobs then show up as jobs the "no-op" rerun would run: the
check says how many). The demo's wall time comes from the Snakemake log of the largest completed
run (its "Elapsed time"); the time per rule sums the ``s`` column of the Snakemake benchmark
files under results/benchmarks/ (the latest run of each job).
"""

from __future__ import annotations

import datetime
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
from machine import RESULTS

ROOT = Path(__file__).resolve().parent.parent
SNAKEMAKE = ROOT / ".venv/bin/snakemake"
DRY_RUN_TARGET_S, NOOP_TARGET_S, DEMO_TARGET_S = 3.0, 5.0, 15 * 60.0
PIXIE_TARGET = 0.3
#: The full config's DAG as it was before per-image stages ran in shards (one job per dataset),
#: to time beside the sharded one.
#: A miniature group's write time as tests/rehearsal/rehearsal.py prints it.
WRITTEN = re.compile(r"^write_(\w+): ([\d.]+ s)$", re.MULTILINE)
ONE_SHARD = ("--config", "datasets={nuswide: {shards: 1}, flickr30k: {shards: 1}}")


def target_row(name: str, data: str, command: str, seconds: float, limit: float, check: str):
    """A row comparing a measured time with the issue's limit (ratio = limit / time)."""
    return {
        "hot_path": name,
        "data": data,
        "ours": command,
        "ours_s": seconds,
        "peer": "issue target",
        "peer_s": limit,
        "ratio": limit / seconds,
        "target": 1.0,
        "met": seconds <= limit,
        "check": check,
        "load": os.getloadavg()[0],
    }


def run_measured(command: list[str], cwd: Path) -> tuple[float, float, int, str]:
    """(seconds, peak RSS MB, exit code, stdout + stderr) of one command."""
    with tempfile.TemporaryDirectory() as tmp:
        peak = Path(tmp) / "rss"
        start = time.perf_counter()
        process = subprocess.run(
            [sys.executable, str(Path(__file__).parent / "peak.py"), str(peak), *command],
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            check=False,
        )
        seconds = time.perf_counter() - start
        return seconds, float(peak.read_text()), process.returncode, process.stdout


def pixie_rows(script: Path, cpus: int) -> list[dict]:
    """bench_pixie.py on its default corpus with every core; its CSV read back. ratio = our
    words/s over gensim skip-gram's."""
    load = os.getloadavg()[0]
    print(f"[{time.strftime('%H:%M:%S')}] pixie: {script.name} --threads {cpus}", flush=True)
    command = [sys.executable, str(script), "--threads", str(cpus)]
    seconds, rss, code, output = run_measured(command, ROOT)
    written = re.findall(r"^written: (.+)$", output, re.MULTILINE)
    if code or not written:
        print(output[-2000:])
        return [{"hot_path": "PIXIE training", "check": f"bench_pixie.py failed ({code})"}]
    table = pd.read_csv(written[-1])
    peer = table[table["method"].str.contains("peer")].iloc[0]
    tokens = int(peer["tokens"])
    rows = []
    for _, ours in table[~table["method"].str.contains("peer")].iterrows():
        ratio = float(peer["seconds"]) / float(ours["seconds"])
        target = PIXIE_TARGET if ours["method"] == "PIXIE" else None
        rows.append(
            {
                "hot_path": f"{ours['method']} training",
                "data": f"Lee corpus ({tokens:,} tokens), 1 epoch, dim 100, window 5",
                "ours": f"crossmodal.pixie.training, {ours['threads']} threads",
                "ours_s": float(ours["seconds"]),
                "peer": f"gensim skip-gram, {peer['threads']} threads",
                "peer_s": float(peer["seconds"]),
                "ratio": ratio,
                "target": target,
                "met": None if target is None else ratio >= target,
                "check": (
                    f"not comparable vectors (Adam mini-batches vs SGD); words/s "
                    f"{ours['words_per_s']:,.0f} vs {peer['words_per_s']:,.0f}; "
                    f"peak RSS of the whole bench_pixie.py run"
                ),
                "ours_rss_mb": rss,
                "load": load,
            }
        )
    return rows


def dry_run(configfile: str | None, *extra: str) -> tuple[float, float, str]:
    """Wall time, peak RSS and a one-line summary of ``snakemake -n --cores 1 run_report``
    (with ``extra`` options)."""
    command = [str(SNAKEMAKE), "-n", "--cores", "1", "run_report", *extra]  # --config: last
    if configfile:
        command[1:1] = [f"--configfile={configfile}"]
    seconds, rss, code, output = run_measured(command, ROOT)
    if code:
        return seconds, rss, f"FAILED ({code}): {output.strip().splitlines()[-1]}"
    jobs = re.search(r"^total\s+(\d+)", output, re.MULTILINE)
    return seconds, rss, f"{jobs.group(1) if jobs else 0} jobs would run"


def largest_completed_run() -> tuple[Path, float, int, str] | None:
    """(log, elapsed seconds, jobs, command) of the completed Snakemake run with most jobs."""
    best = None
    for log in sorted((ROOT / ".snakemake/log").glob("*.snakemake.log")):
        text = log.read_text(errors="replace")
        done = re.search(r"^(\d+) of \1 steps \(100%\) done", text, re.MULTILINE)
        elapsed = re.search(r"^Elapsed time: (\d+):(\d+):(\d+)", text, re.MULTILINE)
        command = re.search(r"^\s*Command: (.+)$", text, re.MULTILINE)
        if done and elapsed and (best is None or int(done.group(1)) > best[2]):
            h, m, s = (int(x) for x in elapsed.groups())
            best = (log, h * 3600 + m * 60 + s, int(done.group(1)), command.group(1))
    return best


def time_per_rule() -> pd.DataFrame:
    """Seconds and peak RSS per rule, summed over the Snakemake benchmark files of its jobs."""
    records = []
    for path in (ROOT / "results/benchmarks").rglob("*.tsv"):
        rule = path.relative_to(ROOT / "results/benchmarks").parts[0]
        frame = pd.read_csv(path, sep="\t")
        records.append({"rule": rule, "s": frame["s"].sum(), "max_rss": frame["max_rss"].max()})
    table = pd.DataFrame(records, columns=["rule", "s", "max_rss"])
    summary = table.groupby("rule").agg(
        jobs=("s", "size"), seconds=("s", "sum"), max_rss_mb=("max_rss", "max")
    )
    summary = summary.sort_values("seconds", ascending=False)
    summary["share"] = summary["seconds"] / summary["seconds"].sum()
    return summary.reset_index()


def workflow_rows() -> list[dict]:
    print(f"[{time.strftime('%H:%M:%S')}] workflow: snakemake dry runs", flush=True)
    rows = []
    for name, configfile, extra, limit in (
        ("snakemake -n, full config", "config/full.yaml", (), DRY_RUN_TARGET_S),
        ("snakemake -n, full config, 1 shard", "config/full.yaml", ONE_SHARD, DRY_RUN_TARGET_S),
        ("snakemake -n, completed demo", None, (), NOOP_TARGET_S),
    ):
        seconds, rss, summary = dry_run(configfile, *extra)
        command = " ".join(
            ["snakemake -n --cores 1", *([f"--configfile={configfile}"] if configfile else [])]
            + ["run_report", *(f"'{word}'" if " " in word else word for word in extra)]
        )
        row = target_row(name, "run_report DAG", command, seconds, limit, summary)
        row["ours_rss_mb"] = rss
        rows.append(row)
    rules = time_per_rule()
    run = largest_completed_run()
    if run is not None:
        log, elapsed, jobs, command = run
        check = (
            f"{log.name}: {jobs} jobs; job seconds summed over "
            f"results/benchmarks: {rules['seconds'].sum():.0f} s (top: "
            + ", ".join(f"{r.rule} {r.seconds:.0f} s" for r in rules.head(3).itertuples())
            + ")"
        )
        rows.append(
            target_row(
                "whole demo, first run", "all three studies", command, elapsed, DEMO_TARGET_S, check
            )
        )
    with pd.option_context("display.width", 200):
        print("\nwhere the demo's time goes (Snakemake benchmark files, top 15 rules):")
        shown = rules.head(15).copy()
        shown["share"] = shown["share"].map("{:.0%}".format)
        print(shown.to_string(index=False, float_format="{:.1f}".format))
        print()
    RESULTS.mkdir(exist_ok=True)
    rules.to_csv(
        RESULTS / f"{datetime.date.today()}-{platform.node()}-demo-rules.csv",
        index=False,
        float_format="%.4g",
    )
    return rows


def rehearsal_row(cpus: int) -> dict:
    """The full-config rehearsal (tests/rehearsal/rehearsal.py: miniature public files, served
    on 127.0.0.1, then run_report and the full config's other products) in a fresh directory;
    its Snakemake wall time beside the
    demo's first run (the largest completed run's log). ratio = demo seconds / rehearsal's."""
    print(f"[{time.strftime('%H:%M:%S')}] rehearsal: config/full.yaml on miniatures", flush=True)
    load = os.getloadavg()[0]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(["tests", "tests/rehearsal", "src"])}
    with tempfile.TemporaryDirectory(prefix="rehearsal-") as tmp:
        command = [sys.executable, "tests/rehearsal/rehearsal.py", tmp, "--cores", str(cpus)]
        process = subprocess.run(
            command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
    done = re.search(r"^rehearsal: exit (\d+), (\d+) s$", process.stdout, re.MULTILINE)
    if process.returncode or not done:
        print(process.stdout[-3000:])
        return {"hot_path": "full-config rehearsal", "check": f"FAILED ({process.returncode})"}
    demo = largest_completed_run()
    seconds = float(done.group(2))
    return {
        "hot_path": "full-config rehearsal, first run",
        "data": "config/full.yaml on miniature public files (tests/rehearsal/scale.yaml)",
        "ours": f"tests/rehearsal/rehearsal.py --cores {cpus}",
        "ours_s": seconds,
        "peer": "whole demo, first run" if demo else "no completed demo run on record",
        "peer_s": demo[1] if demo else None,
        "ratio": demo[1] / seconds if demo else None,
        "check": "miniatures written in "
        + ", ".join(f"{name} {took}" for name, took in re.findall(WRITTEN, process.stdout)),
        "load": load,
    }
