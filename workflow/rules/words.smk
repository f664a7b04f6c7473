# rules: words — one visual vector per word: the mean feature of its WordNet synset's images.


rule average_word_features:
    input:
        features="results/features/{dataset}/{kind}.npy",
        ids="results/features/{dataset}/{kind}.ids.parquet",
        images="results/data/{dataset}/images.parquet",
        wordnet="results/data/wordnet",
    output:
        npy="results/words/{dataset}/{kind}.npy",
        words="results/words/{dataset}/{kind}.words.parquet",
    log:
        "logs/average_word_features/{dataset}/{kind}.log",
    benchmark:
        "results/benchmarks/average_word_features/{dataset}/{kind}.tsv"
    conda:
        "../../envs/crossmodal.yaml"
    threads: 1
    params:
        settings=settings(
            min_images=lookup(dpath="min_images", within=config["words"]),
            backfill_below=lookup(dpath="backfill_below", within=config["words"]),
            max_hyponym_depth=lookup(
                dpath="max_hyponym_depth", within=config["words"]
            ),
        ),
    script:
        "../scripts/average_word_features.py"


rule report_visual_vocabulary:
    input:
        words=expand(
            "results/words/{{dataset}}/{kind}.words.parquet",
            kind=config["words"]["features"],
        ),
        text_vocab=sgns_path(".vocab.parquet"),
    output:
        table="results/words/{dataset}/visual_vocabulary.parquet",
    log:
        "logs/report_visual_vocabulary/{dataset}.log",
    benchmark:
        "results/benchmarks/report_visual_vocabulary/{dataset}.tsv"
    conda:
        "../../envs/crossmodal.yaml"
    threads: 1
    params:
        kinds=lookup(dpath="features", within=config["words"]),
    script:
        "../scripts/report_visual_vocabulary.py"
