# rules: text — skip-gram vectors trained on a corpus, and published vectors converted to NPY.


rule train_sgns:
    input:
        corpus="results/data/{corpus}/corpus.txt",
    output:
        npy="results/text/{corpus}/sgns_d{dim}.npy",
        vocab="results/text/{corpus}/sgns_d{dim}.vocab.parquet",
    log:
        "logs/train_sgns/{corpus}/sgns_d{dim}.log",
    benchmark:
        "results/benchmarks/train_sgns/{corpus}/sgns_d{dim}.tsv"
    conda:
        "../../envs/crossmodal.yaml"
    # One thread when `text: sgns: deterministic:` is set: gensim's multi-threaded training is
    # not bit-reproducible. Else 8 (capped at --cores; --set-threads train_sgns=N overrides).
    threads: 1 if config["text"]["sgns"]["deterministic"] else 8
    params:
        settings=settings(
            window=lookup(dpath="sgns/window", within=config["text"]),
            negative=lookup(dpath="sgns/negative", within=config["text"]),
            epochs=lookup(dpath="sgns/epochs", within=config["text"]),
            min_count=lookup(dpath="sgns/min_count", within=config["text"]),
            sample=lookup(dpath="sgns/sample", within=config["text"]),
            seed=lookup(dpath="sgns/seed", within=config["text"]),
            deterministic=lookup(dpath="sgns/deterministic", within=config["text"]),
        ),
    script:
        "../scripts/train_sgns.py"


rule convert_pretrained:
    input:
        vectors=get_pretrained_download,
    output:
        npy="results/text/pretrained/{pretrained}.npy",
        vocab="results/text/pretrained/{pretrained}.vocab.parquet",
    log:
        "logs/convert_pretrained/{pretrained}.log",
    benchmark:
        "results/benchmarks/convert_pretrained/{pretrained}.tsv"
    conda:
        "../../envs/crossmodal.yaml"
    threads: 1
    params:
        settings=settings(
            format=lookup(
                dpath="pretrained/{pretrained}/format", within=config["text"]
            ),
            member=lookup(
                dpath="pretrained/{pretrained}/member",
                within=config["text"],
                default=None,
            ),
        ),
    script:
        "../scripts/convert_pretrained.py"
