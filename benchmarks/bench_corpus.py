"""Wikipedia dump to tokens: crossmodal.data.corpus.wiki_sentences (one process, sentence
boundaries kept) against gensim's WikiCorpus.get_texts (the peer: article-long token lists,
a multiprocessing pool), on the shortened English dump shipped in the gensim wheel, in one run.

    .venv/bin/python benchmarks/bench_corpus.py

Each reader runs three times (best wall time reported; the machine may be shared). Both use
gensim's markup filter and tokeniser and skip the same namespaces and stubs, so the token
counts should agree closely (ours splits an article into sentences before tokenising, which
can only change tokens at sentence edges). Target: time at most 1.2x the peer's with one
worker. Writes benchmarks/results/<date>-<machine>-corpus.csv.
"""

import time
from pathlib import Path

import gensim
import pandas as pd
from gensim.corpora.wikicorpus import WikiCorpus
from gensim.test.utils import datapath
from machine import describe_machine, save_results

from crossmodal.data.corpus import EMBEDDED_FILES, wiki_sentences

REPEATS = 3


def best_of(read):
    """Best wall time of REPEATS runs, and (sentences or articles, tokens) of the last one."""
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        units = tokens = 0
        for item in read():
            units += 1
            tokens += len(item)
        times.append(time.perf_counter() - start)
    return min(times), units, tokens


def main():
    machine, cpus = describe_machine()
    print(f"versions: gensim={gensim.__version__}")
    dump = datapath(EMBEDDED_FILES["enwiki"])
    print(f"data: {dump} ({Path(dump).stat().st_size / 1e6:.1f} MB bzip2)")
    methods = {
        "crossmodal wiki_sentences (1 process)": lambda: wiki_sentences(dump),
        "gensim WikiCorpus.get_texts, 1 process (peer)": lambda: WikiCorpus(
            dump, dictionary={}, processes=1
        ).get_texts(),
        f"gensim WikiCorpus.get_texts, {cpus} processes": lambda: WikiCorpus(
            dump, dictionary={}, processes=cpus
        ).get_texts(),
    }
    rows = []
    for name, read in methods.items():
        seconds, units, tokens = best_of(read)
        rows.append(
            {"method": name, "seconds": round(seconds, 2), "units": units, "tokens": tokens}
        )
    table = pd.DataFrame(rows)
    peer = table.iloc[1]
    table["time_vs_peer"] = (table["seconds"] / peer["seconds"]).round(2)
    table["tokens_vs_peer"] = (table["tokens"] / peer["tokens"]).round(4)
    print(table.to_string(index=False))
    met = table.iloc[0]["seconds"] <= 1.2 * peer["seconds"]
    print(f"target (time <= 1.2x the one-process peer): {'met' if met else 'NOT met'}")
    save_results(table, "corpus", machine, cpus)


if __name__ == "__main__":
    main()
