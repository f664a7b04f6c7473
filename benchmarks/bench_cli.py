"""The start-up cost of the ``crossmodal`` command: ``crossmodal mnno`` on two 10,000 x 300 NPY
files, against the same reading and mNNO called in-process through the public API
(``crossmodal.read_pair`` and ``crossmodal.mnno``) by a Python that has imported them already.

Both sides read the same files and compute the same mNNO^10 with the same code, so the
difference of their seconds is what the command costs on top: starting Python, importing numpy,
pandas, torch and faiss, parsing the arguments and printing. ratio = in-process seconds /
command seconds, below 1 by construction; the check line gives the difference in seconds.
Data as in bench_mnno.py: V standard normal, Z = V + noise.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import bench_mnno
from suite import HotPath, Method, Timed, timed

import crossmodal
from crossmodal.api.neighbourhoods import mnno, read_pair

N, D, K = 10_000, 300, 10
SRC = Path(crossmodal.__file__).resolve().parents[1]


def prepare(folder: Path) -> None:
    bench_mnno.prepare(N, D, folder)


def command(folder: Path) -> Timed:
    """``python -m crossmodal mnno v.npy z.npy --json`` on the sources imported here."""
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    args = [sys.executable, "-m", "crossmodal", "mnno", "v.npy", "z.npy", "-k", str(K), "--json"]

    def run() -> float:
        done = subprocess.run(args, cwd=folder, env=env, capture_output=True, text=True, check=True)
        return json.loads(done.stdout)["mnno"]

    seconds, value = timed(run)
    return seconds, (value, seconds)


def in_process(folder: Path) -> Timed:
    def run() -> float:
        pair = read_pair(folder / "v.npy", folder / "z.npy")
        return mnno(pair.first, pair.second, K)

    seconds, value = timed(run)
    return seconds, (value, seconds)


def check(ours, peer, folder: Path) -> tuple[bool, str]:
    (ours_mnno, ours_s), (peer_mnno, peer_s) = ours, peer
    text = f"mNNO {ours_mnno:.6f} vs {peer_mnno:.6f}; start-up cost {ours_s - peer_s:.2f} s"
    return ours_mnno == peer_mnno, text


HOT_PATHS = {
    "command_startup": HotPath(
        name="crossmodal mnno command",
        data=f"2 x {N:,} x {D} float32 NPY, K={K}",
        prepare=prepare,
        ours=Method("python -m crossmodal mnno --json", command),
        peers=(Method("read_pair + mnno in-process", in_process),),
        check=check,
    )
}
