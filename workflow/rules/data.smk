# rules: data — the canonical tables built from embedded sources (DESIGN.md): WordNet, the Tux
# Paint image table, text corpora and word-similarity benchmarks.


rule prepare_wordnet:
    output:
        wordnet=directory("results/data/wordnet"),
    log:
        "logs/prepare_wordnet/wordnet.log",
    benchmark:
        "results/benchmarks/prepare_wordnet/wordnet.tsv"
    conda:
        "../../envs/crossmodal.yaml"
    threads: 1
    params:
        settings=settings(
            nltk_data=lookup(dpath="nltk_data", within=config["wordnet"]),
            dict_dir=lookup(dpath="dict_dir", within=config["wordnet"]),
        ),
    script:
        "../scripts/prepare_wordnet.py"


rule build_tuxpaint_table:
    input:
        wordnet="results/data/wordnet",
    output:
        images="results/data/{dataset}/images.parquet",
        summary="results/data/{dataset}/summary.csv",
    log:
        "logs/build_tuxpaint_table/{dataset}.log",
    benchmark:
        "results/benchmarks/build_tuxpaint_table/{dataset}.tsv"
    wildcard_constraints:
        dataset=datasets_of_source("tuxpaint"),
    conda:
        "../../envs/crossmodal.yaml"
    threads: 1
    params:
        settings=settings(
            stamps_dir=lookup(dpath="{dataset}/stamps_dir", within=config["datasets"]),
            exclude=lookup(dpath="{dataset}/exclude", within=config["datasets"]),
            test_fraction=lookup(
                dpath="{dataset}/test_fraction", within=config["datasets"]
            ),
            seed=lookup(dpath="{dataset}/seed", within=config["datasets"]),
        ),
    script:
        "../scripts/build_tuxpaint_table.py"


rule build_corpus:
    input:
        unpack(get_corpus_inputs),
    output:
        corpus="results/data/{corpus}/corpus.txt",
    log:
        "logs/build_corpus/{corpus}.log",
    benchmark:
        "results/benchmarks/build_corpus/{corpus}.tsv"
    conda:
        "../../envs/crossmodal.yaml"
    threads: 1
    params:
        settings=settings(
            source=lookup(dpath="{corpus}/source", within=config["corpora"]),
            parts=lookup(dpath="{corpus}/parts", within=config["corpora"], default=[]),
            member=lookup(
                dpath="{corpus}/member", within=config["corpora"], default=None
            ),
            tokens_per_line=lookup(
                dpath="{corpus}/tokens_per_line", within=config["corpora"]
            ),
            wordnet_glosses=lookup(
                dpath="{corpus}/wordnet_glosses", within=config["corpora"]
            ),
            min_count=lookup(dpath="sgns/min_count", within=config["text"]),
        ),
    script:
        "../scripts/build_corpus.py"


rule build_benchmark:
    input:
        unpack(get_benchmark_input),
    output:
        pairs="results/data/wordsim/{benchmark}.parquet",
    log:
        "logs/build_benchmark/{benchmark}.log",
    benchmark:
        "results/benchmarks/build_benchmark/{benchmark}.tsv"
    conda:
        "../../envs/crossmodal.yaml"
    threads: 1
    params:
        settings=settings(
            source=lookup(dpath="{benchmark}/source", within=config["benchmarks"]),
            file=lookup(
                dpath="{benchmark}/file", within=config["benchmarks"], default=None
            ),
            format=lookup(dpath="{benchmark}/format", within=config["benchmarks"]),
            duplicates=lookup(
                dpath="{benchmark}/duplicates", within=config["benchmarks"]
            ),
        ),
    script:
        "../scripts/build_benchmark.py"
