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
    resources:
        mem_mb=default_resource("mem_mb"),
        runtime=default_resource("runtime"),
    params:
        settings=settings(
            nltk_data=lookup(dpath="wordnet/nltk_data", within=config),
            dict_dir=lookup(dpath="wordnet/dict_dir", within=config),
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
    resources:
        mem_mb=default_resource("mem_mb"),
        runtime=default_resource("runtime"),
    params:
        settings=settings(
            stamps_dir=lookup(dpath="datasets/{dataset}/stamps_dir", within=config),
            exclude=lookup(dpath="datasets/{dataset}/exclude", within=config),
            test_fraction=lookup(
                dpath="datasets/{dataset}/test_fraction", within=config
            ),
            seed=lookup(dpath="datasets/{dataset}/seed", within=config),
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
    resources:
        mem_mb=default_resource("mem_mb"),
        runtime=default_resource("runtime"),
    params:
        settings=settings(
            source=lookup(dpath="corpora/{corpus}/source", within=config),
            parts=lookup(dpath="corpora/{corpus}/parts", within=config, default=[]),
            member=lookup(
                dpath="corpora/{corpus}/member", within=config, default=None
            ),
            tokens_per_line=lookup(
                dpath="corpora/{corpus}/tokens_per_line", within=config
            ),
            wordnet_glosses=lookup(
                dpath="corpora/{corpus}/wordnet_glosses", within=config
            ),
            min_count=lookup(dpath="text/sgns/min_count", within=config),
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
    resources:
        mem_mb=default_resource("mem_mb"),
        runtime=default_resource("runtime"),
    params:
        settings=settings(
            source=lookup(dpath="benchmarks/{benchmark}/source", within=config),
            file=lookup(
                dpath="benchmarks/{benchmark}/file", within=config, default=None
            ),
            format=lookup(dpath="benchmarks/{benchmark}/format", within=config),
            duplicates=lookup(
                dpath="benchmarks/{benchmark}/duplicates", within=config
            ),
        ),
    script:
        "../scripts/build_benchmark.py"
