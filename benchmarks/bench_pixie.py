"""PIXIE training speed (crossmodal.pixie.training, torch) against gensim's skip-gram (the peer)
on the same corpus, vocabulary (min_count), dimension, window, negatives, down-sampling and threads.

    .venv/bin/python benchmarks/bench_pixie.py [corpus.txt] [--threads N] [--batch-size B ...]

Default corpus: the Lee background corpus shipped in the gensim wheel, tokenised by
crossmodal.data.corpus (about 60k tokens). Reports corpus words per second for one epoch of: gensim
Word2Vec (sg=1, corpus_file), our skip-gram alone (visual "none"), V-SGNS ("margin") and PIXIE
("vae", random visual vectors for a fifth of the vocabulary, 256-d). gensim's optimised C loop
(plain SGD, lock-free) is the reference; PIXIE uses Adam on mini-batches in torch, which costs
more per pair but is what the paper prescribes.
Each torch model is timed at every ``--batch-size`` (default 1024, the full config's, and 8192,
the demo's); time_vs_peer is the model's seconds over gensim's, speed_vs_peer its inverse, and
cpu_speed_vs_peer the same in CPU seconds of this process, which a machine shared with other
jobs distorts less. Writes benchmarks/results/<date>-<machine>-pixie.csv.

torch's OpenMP threads wait for work by spinning (OMP_WAIT_POLICY active) unless told
otherwise: with --threads 2 on a 2-core machine that other jobs also use, a thread spins on a
core while its partner waits to be scheduled, and one epoch took 2 to 48 s from run to run
(CPU seconds likewise). The benchmark therefore sets OMP_WAIT_POLICY=passive (threads sleep
when idle, as gensim's worker threads do) unless the environment sets it.
"""

import os

os.environ.setdefault("OMP_WAIT_POLICY", "passive")  # before torch loads OpenMP

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import gensim
import numpy as np
import pandas as pd
import torch
from gensim.models import Word2Vec
from gensim.test.utils import datapath
from machine import describe_machine, save_results

from crossmodal.data.corpus import tokenize
from crossmodal.pixie.model import PixieConfig
from crossmodal.pixie.stream import build_vocabulary
from crossmodal.pixie.training import train_pixie
from crossmodal.text.vectors import WordVectors

DIM, WINDOW, NEGATIVE, SAMPLE, MIN_COUNT = 100, 5, 5, 0.001, 3


def lee_corpus(folder: Path) -> Path:
    """The gensim Lee background corpus, one tokenised document per line."""
    path = folder / "lee.txt"
    with open(datapath("lee_background.cor"), encoding="utf-8") as handle:
        path.write_text("\n".join(" ".join(tokenize(line)) for line in handle) + "\n")
    return path


def timed(run: Callable[[], object]) -> tuple[float, float]:
    """Wall-clock and CPU seconds (all threads of this process) of ``run()``: on a shared
    machine the wall clock also counts the time other processes hold the cores."""
    wall, cpu = time.perf_counter(), time.process_time()
    run()
    return time.perf_counter() - wall, time.process_time() - cpu


def time_gensim(corpus: Path, threads: int) -> tuple[float, float]:
    model = Word2Vec(
        vector_size=DIM,
        sg=1,
        negative=NEGATIVE,
        window=WINDOW,
        min_count=MIN_COUNT,
        sample=SAMPLE,
        epochs=1,
        seed=0,
        workers=threads,
    )
    model.build_vocab(corpus_file=str(corpus))
    return timed(
        lambda: model.train(
            corpus_file=str(corpus),
            total_examples=model.corpus_count,
            total_words=model.corpus_total_words,
            epochs=1,
        )
    )


def time_pixie(
    corpus: Path, visual_kind: str, folder: Path, batch_size: int
) -> tuple[float, float]:
    vocabulary = build_vocabulary(corpus, MIN_COUNT)
    rng = np.random.default_rng(0)
    words = list(vocabulary["word"].iloc[::5])
    visual = WordVectors(
        rng.random((len(words), 256)).astype(np.float32), pd.DataFrame({"word": words})
    )
    config = PixieConfig(
        visual=visual_kind,
        dim=DIM,
        window=WINDOW,
        negative=NEGATIVE,
        epochs=1,
        batch_size=batch_size,
        sample=SAMPLE,
    )
    state = folder / f"{visual_kind}-{batch_size}.pt"
    return timed(
        lambda: train_pixie(corpus, vocabulary, visual, config, state, torch.device("cpu"))
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", nargs="?")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--batch-size", type=int, nargs="+", default=[1024, 8192])
    args = parser.parse_args()
    machine, cpus = describe_machine()
    print(f"versions: gensim={gensim.__version__} torch={torch.__version__}")
    torch.set_num_threads(args.threads)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        corpus = Path(args.corpus) if args.corpus else lee_corpus(folder)
        tokens = sum(len(line.split()) for line in open(corpus, encoding="utf-8"))
        print(
            f"data: {corpus} ({tokens} tokens), dim={DIM} window={WINDOW} negative={NEGATIVE} "
            f"threads={args.threads} batch={args.batch_size}"
        )
        # torch's lazy imports and first-call set-up are paid here, outside the timings.
        time_pixie(corpus, "vae", folder / "warm-up", 65536)
        rows = [("gensim Word2Vec sg=1 (peer)", None, *time_gensim(corpus, args.threads))]
        for batch_size in args.batch_size:
            for kind, name in (
                ("none", "crossmodal skip-gram (torch)"),
                ("margin", "V-SGNS"),
                ("vae", "PIXIE"),
            ):
                rows.append((name, batch_size, *time_pixie(corpus, kind, folder, batch_size)))
    table = pd.DataFrame(rows, columns=["method", "batch", "seconds", "cpu_seconds"])
    table["batch"] = table["batch"].astype("Int64")
    table["words_per_s"] = (tokens / table["seconds"]).round(0)
    table["time_vs_peer"] = (table["seconds"] / table["seconds"].iloc[0]).round(2)
    table["speed_vs_peer"] = (table["seconds"].iloc[0] / table["seconds"]).round(3)
    table["cpu_speed_vs_peer"] = (table["cpu_seconds"].iloc[0] / table["cpu_seconds"]).round(3)
    table[["seconds", "cpu_seconds"]] = table[["seconds", "cpu_seconds"]].round(2)
    table.insert(1, "tokens", tokens)
    table.insert(2, "threads", args.threads)
    print(table.to_string(index=False))
    save_results(table, "pixie", machine, cpus)


if __name__ == "__main__":
    main()
