"""GloVe text conversion speed: crossmodal.text.pretrained against gensim's
``KeyedVectors.load_word2vec_format(no_header=True)`` (+ ``np.save``) on the same file in the same
run.

    .venv/bin/python benchmarks/bench_pretrained.py [N] [D]      # default 100000 300

Writes a GloVe-layout file of N random D-dimensional vectors (6 significant digits, as GloVe
publishes) to a temporary folder, converts it both ways, prints the machine, both wall times and
the speed-up, and checks that both give the same words and bit-identical vectors. For scale:
GloVe 840B has 2.2 M words of 300 dimensions (5.6 GB).
"""

import os
import platform
import sys
import tempfile
import time
from pathlib import Path

import gensim
import numpy as np
from gensim.models import KeyedVectors

from crossmodal.text.pretrained import convert_pretrained
from crossmodal.text.vectors import WordVectors


def write_glove(path, n, d):
    rng = np.random.default_rng(0)
    with open(path, "w", encoding="utf-8") as out:
        for start in range(0, n, 10_000):
            block = rng.normal(scale=0.4, size=(min(10_000, n - start), d))
            for i, row in enumerate(block, start=start):
                out.write(f"w{i} " + " ".join(f"{x:.6g}" for x in row) + "\n")


def ours(path, out):
    convert_pretrained(path, "glove", out / "ours.npy", out / "ours.vocab.parquet")
    return WordVectors.read(out / "ours.npy", out / "ours.vocab.parquet")


def gensims(path, out):
    vectors = KeyedVectors.load_word2vec_format(str(path), binary=False, no_header=True)
    np.save(out / "gensim.npy", vectors.vectors)
    return vectors


def timed(function, *args):
    start = time.perf_counter()
    value = function(*args)
    return time.perf_counter() - start, value


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    d = int(sys.argv[2]) if len(sys.argv) > 2 else 300
    print(
        f"machine: {platform.machine()} {platform.processor() or ''} cpus={os.cpu_count()} "
        f"python={platform.python_version()} gensim={gensim.__version__}"
    )
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        path = out / "glove.txt"
        write_glove(path, n, d)
        print(f"data: {n} words x {d} dims, {path.stat().st_size / 1e6:.0f} MB of text")
        t_ours, mine = timed(ours, path, out)
        t_gensim, theirs = timed(gensims, path, out)
    assert mine.words == list(theirs.index_to_key)
    assert np.array_equal(mine.matrix, theirs.vectors)
    print(f"crossmodal.text.pretrained (two streaming passes, memmap): {t_ours:8.2f} s")
    print(f"gensim load_word2vec_format(no_header=True) + np.save: {t_gensim:8.2f} s")
    print(f"speed-up: {t_gensim / t_ours:.1f}x; identical words and vectors")


if __name__ == "__main__":
    main()
