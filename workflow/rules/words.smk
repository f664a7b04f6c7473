# rules: words — one visual vector per word: the mean (or max) feature of its WordNet synset's
# images, with the word's image dispersion; and the visual-vocabulary report per feature kind.


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
            aggregation=lookup(dpath="aggregation", within=config["words"]),
        ),
    script:
        "../scripts/average_word_features.py"


rule report_visual_vocabulary:
    input:
        vectors=expand(
            "results/words/{{dataset}}/{kind}.npy", kind=config["words"]["features"]
        ),
        words=expand(
            "results/words/{{dataset}}/{kind}.words.parquet",
            kind=config["words"]["features"],
        ),
        images="results/data/{dataset}/images.parquet",
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
        settings=settings(
            neighbours=lookup(
                dpath="vocabulary_report/neighbours", within=config["words"]
            ),
            extremes=lookup(
                dpath="vocabulary_report/extremes", within=config["words"]
            ),
        ),
    script:
        "../scripts/report_visual_vocabulary.py"
