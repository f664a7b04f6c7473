"""Text hot paths: skip-gram training (crossmodal.text.sgns, gensim's corpus_file mode) against
gensim's Word2Vec fed the usual way (a LineSentence iterator), and word-similarity evaluation
(crossmodal.metrics.similarity) against gensim's ``KeyedVectors.evaluate_word_pairs``.

Skip-gram: one epoch over the demo corpus (results/data/demo/corpus.txt, about 900k tokens)
with the demo's settings (dim 100, window 5, 5 negatives, min count 3, sample 1e-3) on every
core, vocabulary scan included on both sides. The threads update shared weights without locks,
so the vectors are not bit-identical between runs: the check asks for the same vocabulary and
WS-353 correlations within 0.05. The ratio is the ratio of words/s.

Word similarity: every benchmark under results/data/wordsim/ against the demo's SGNS vectors,
20 times over (one evaluation takes milliseconds); both read the pairs from disk each time (ours
Parquet, gensim the same pairs as a TSV file). Check: the same Spearman rho (to 1e-4, gensim
computes cosines in float32) and the same coverage.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
from gensim.models import KeyedVectors, Word2Vec
from gensim.models.word2vec import LineSentence
from suite import HotPath, Method, Timed, timed

from crossmodal.core.io import read_parquet
from crossmodal.metrics.similarity import cover, spearman
from crossmodal.text.sgns import SgnsParams, train_sgns
from crossmodal.text.vectors import WordVectors

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "results/data/demo/corpus.txt"
WORDSIM = ROOT / "results/data/wordsim"
VECTORS = ROOT / "results/text/demo/sgns_d100"
PARAMS = SgnsParams(dim=100, window=5, negative=5, epochs=1, min_count=3, sample=1e-3, seed=0)
CPUS = os.cpu_count() or 1
REPEATS = 20


def no_input(folder: Path) -> None:
    """The inputs are the demo's own files, read in place."""


def ours_sgns(folder: Path) -> Timed:
    seconds, vectors = timed(train_sgns, CORPUS, PARAMS, CPUS)
    return seconds, (vectors.words, vectors.matrix)


def gensim_sgns(folder: Path) -> Timed:
    def train():
        return Word2Vec(
            LineSentence(str(CORPUS)),
            vector_size=PARAMS.dim,
            sg=1,
            negative=PARAMS.negative,
            window=PARAMS.window,
            min_count=PARAMS.min_count,
            sample=PARAMS.sample,
            epochs=PARAMS.epochs,
            seed=PARAMS.seed,
            workers=CPUS,
        )

    seconds, model = timed(train)
    return seconds, (list(model.wv.index_to_key), model.wv.vectors)


def ws353(words: list[str], matrix: np.ndarray) -> float:
    return spearman(matrix, cover(words, read_parquet(WORDSIM / "ws353.parquet")))


def check_sgns(ours, peer, folder: Path) -> tuple[bool, str]:
    tokens = sum(len(line.split()) for line in open(CORPUS, encoding="utf-8"))
    same_vocabulary = set(ours[0]) == set(peer[0])
    a, b = ws353(*ours), ws353(*peer)
    text = (
        f"vocabulary {len(ours[0]):,} {'=' if same_vocabulary else '!='} {len(peer[0]):,} words; "
        f"WS-353 rho {a:.3f} vs {b:.3f}; {tokens:,} tokens"
    )
    return same_vocabulary and abs(a - b) < 0.05, text


def benchmarks() -> list[Path]:
    return sorted(WORDSIM.glob("*.parquet"))


def prepare_pairs(folder: Path) -> None:
    for path in benchmarks():
        read_parquet(path).to_csv(folder / f"{path.stem}.tsv", sep="\t", header=False, index=False)


def ours_wordsim(folder: Path) -> Timed:
    vectors = WordVectors.read(VECTORS.with_suffix(".npy"), VECTORS.with_suffix(".vocab.parquet"))

    def evaluate():
        scores = {}
        for path in benchmarks():
            covered = cover(vectors.position, read_parquet(path), path.stem)
            scores[path.stem] = (spearman(vectors.matrix, covered), covered.coverage)
        return scores

    return timed(lambda: [evaluate() for _ in range(REPEATS)][-1])


def gensim_wordsim(folder: Path) -> Timed:
    vectors = WordVectors.read(VECTORS.with_suffix(".npy"), VECTORS.with_suffix(".vocab.parquet"))
    model = KeyedVectors(vectors.dim)
    model.add_vectors(vectors.words, vectors.matrix)

    def evaluate():
        scores = {}
        for path in benchmarks():
            _, (rho, _), oov = model.evaluate_word_pairs(str(folder / f"{path.stem}.tsv"))
            scores[path.stem] = (rho, 1 - oov / 100)
        return scores

    return timed(lambda: [evaluate() for _ in range(REPEATS)][-1])


def check_wordsim(ours, peer, folder: Path) -> tuple[bool, str]:
    same = all(
        abs(ours[name][0] - peer[name][0]) < 1e-4 and abs(ours[name][1] - peer[name][1]) < 1e-9
        for name in ours
    )
    text = "; ".join(
        f"{name} rho {ours[name][0]:.4f} vs {peer[name][0]:.4f}, coverage {ours[name][1]:.3f} "
        f"vs {peer[name][1]:.3f}"
        for name in ours
    )
    return same and ours.keys() == peer.keys(), text


HOT_PATHS = {
    "skipgram": HotPath(
        name="skip-gram training",
        data="demo corpus, 1 epoch, dim 100, window 5",
        prepare=no_input,
        ours=Method(f"train_sgns (corpus_file, {CPUS} workers)", ours_sgns),
        peers=(Method(f"gensim Word2Vec(LineSentence), {CPUS} workers", gensim_sgns),),
        check=check_sgns,
    ),
    "wordsim": HotPath(
        name="word-similarity evaluation",
        data=f"{len(benchmarks())} demo benchmarks x {REPEATS}, demo SGNS",
        prepare=prepare_pairs,
        ours=Method("similarity.cover + spearman", ours_wordsim),
        peers=(Method("gensim evaluate_word_pairs", gensim_wordsim),),
        check=check_wordsim,
    ),
}
