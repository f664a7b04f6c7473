"""PIXIE training speed (crossmodal.pixie, torch) against gensim's skip-gram (the peer) on the
same corpus, vocabulary (min_count), dimension, window, negatives, down-sampling and threads.

    .venv/bin/python benchmarks/bench_pixie.py [corpus.txt] [--threads N]

Default corpus: the Lee background corpus shipped in the gensim wheel, tokenised by
crossmodal.corpus (about 60k tokens). Reports corpus words per second for one epoch of: gensim
Word2Vec (sg=1, corpus_file), our skip-gram alone (visual "none"), V-SGNS ("linear") and PIXIE
("vae", random visual vectors for a fifth of the vocabulary, 256-d). gensim's optimised C loop
(plain SGD, lock-free) is the reference; PIXIE uses Adam on mini-batches in torch, which costs
more per pair but is what the paper prescribes.
Writes benchmarks/results/<date>-<machine>-pixie.csv.
"""

import argparse
import tempfile
import time
from pathlib import Path

import gensim
import numpy as np
import pandas as pd
import torch
from gensim.models import Word2Vec
from gensim.test.utils import datapath
from machine import describe_machine, save_results

from crossmodal.corpus import tokenize
from crossmodal.pixie import PixieConfig, build_vocabulary, train_pixie
from crossmodal.vectors import WordVectors

DIM, WINDOW, NEGATIVE, SAMPLE, MIN_COUNT = 100, 5, 5, 0.001, 3


def lee_corpus(folder: Path) -> Path:
    """The gensim Lee background corpus, one tokenised document per line."""
    path = folder / "lee.txt"
    with open(datapath("lee_background.cor"), encoding="utf-8") as handle:
        path.write_text("\n".join(" ".join(tokenize(line)) for line in handle) + "\n")
    return path


def time_gensim(corpus: Path, threads: int) -> float:
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
    start = time.perf_counter()
    model.train(
        corpus_file=str(corpus),
        total_examples=model.corpus_count,
        total_words=model.corpus_total_words,
        epochs=1,
    )
    return time.perf_counter() - start


def time_pixie(corpus: Path, visual_kind: str, folder: Path, batch_size: int) -> float:
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
    start = time.perf_counter()
    train_pixie(
        corpus, vocabulary, visual, config, folder / f"{visual_kind}.pt", torch.device("cpu")
    )
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", nargs="?")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=1024)
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
        rows = [
            {"method": "gensim Word2Vec sg=1 (peer)", "seconds": time_gensim(corpus, args.threads)}
        ]
        for kind, name in (
            ("none", "crossmodal skip-gram (torch)"),
            ("linear", "V-SGNS"),
            ("vae", "PIXIE"),
        ):
            rows.append(
                {"method": name, "seconds": time_pixie(corpus, kind, folder, args.batch_size)}
            )
    table = pd.DataFrame(rows)
    table["words_per_s"] = (tokens / table["seconds"]).round(0)
    table["time_vs_peer"] = (table["seconds"] / table["seconds"].iloc[0]).round(2)
    table["seconds"] = table["seconds"].round(2)
    table.insert(1, "tokens", tokens)
    table.insert(2, "threads", args.threads)
    print(table.to_string(index=False))
    save_results(table, "pixie", machine, cpus)


if __name__ == "__main__":
    main()
