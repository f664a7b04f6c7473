# rules: pixie — PIXIE (Ailem et al., EMNLP 2018): skip-gram trained jointly with a VAE over the
# visual words' image features, its baselines (CNN, VAE, SGNS = PIXIE without its visual part,
# gensim's skip-gram as an extra row, CNN+SGNS, VAE+SGNS, V-SGNS, IV-SGNS), word similarity
# (Table 2), propagation (Table 3), pair cosines (Table 4), neighbours (Table 5),
# image-sentence retrieval (Table 6) and the paper's values beside ours.


rule run_pixie:
    input:
        PIXIE_TABLES,


rule build_pixie_vocabulary:
    input:
        corpus="results/data/{corpus}/corpus.txt",
    output:
        vocabulary="results/pixie/{corpus}/vocabulary.parquet",
    log:
        "logs/build_pixie_vocabulary/{corpus}.log",
    benchmark:
        "results/benchmarks/build_pixie_vocabulary/{corpus}.tsv"
    conda:
        "../../envs/crossmodal.yaml"
    threads: 1
    params:
        settings=settings(min_count=lookup(dpath="min_count", within=config["pixie"])),
    script:
        "../scripts/pixie_vocabulary.py"


rule average_pixie_senses:
    input:
        unpack(get_pixie_sense_inputs),
        vocabulary="results/pixie/{corpus}/vocabulary.parquet",
    output:
        npy="results/pixie/{corpus}/senses.npy",
        words="results/pixie/{corpus}/senses.words.parquet",
    log:
        "logs/average_pixie_senses/{corpus}.log",
    benchmark:
        "results/benchmarks/average_pixie_senses/{corpus}.tsv"
    conda:
        "../../envs/crossmodal.yaml"
    threads: 1
    params:
        settings=settings(
            images_per_word=lookup(
                dpath="visual/images_per_word", within=config["pixie"]
            ),
            max_hypernym_depth=lookup(
                dpath="visual/max_hypernym_depth", within=config["pixie"]
            ),
            splits=lookup(dpath="visual/splits", within=config["pixie"]),
            seed=lookup(dpath="visual/seed", within=config["pixie"]),
        ),
    script:
        "../scripts/pixie_senses.py"


rule prepare_pixie_visual:
    input:
        unpack(get_pixie_visual_source),
        vocabulary="results/pixie/{corpus}/vocabulary.parquet",
    output:
        npy="results/pixie/{corpus}/visual.npy",
        words="results/pixie/{corpus}/visual.words.parquet",
    log:
        "logs/prepare_pixie_visual/{corpus}.log",
    benchmark:
        "results/benchmarks/prepare_pixie_visual/{corpus}.tsv"
    conda:
        "../../envs/crossmodal.yaml"
    threads: 1
    params:
        settings=settings(
            source=lookup(dpath="visual/source", within=config["pixie"]),
            fraction=lookup(dpath="propagation/fraction", within=config["pixie"]),
            count=lookup(dpath="propagation/count", within=config["pixie"]),
            seed=lookup(dpath="propagation/seed", within=config["pixie"]),
        ),
    script:
        "../scripts/pixie_visual.py"


rule train_pixie:
    input:
        corpus="results/data/{corpus}/corpus.txt",
        vocabulary="results/pixie/{corpus}/vocabulary.parquet",
        visual="results/pixie/{corpus}/visual.npy",
        visual_words="results/pixie/{corpus}/visual.words.parquet",
    output:
        plus="results/pixie/{corpus}/{setting}/embeddings/pixieplus.npy",
        plus_vocab="results/pixie/{corpus}/{setting}/embeddings/pixieplus.vocab.parquet",
        concat="results/pixie/{corpus}/{setting}/embeddings/pixieconcat.npy",
        concat_vocab="results/pixie/{corpus}/{setting}/embeddings/pixieconcat.vocab.parquet",
        losses="results/pixie/{corpus}/{setting}/pixie.losses.parquet",
    log:
        "logs/train_pixie/{corpus}/{setting}.log",
    benchmark:
        "results/benchmarks/train_pixie/{corpus}/{setting}.tsv"
    conda:
        "../../envs/crossmodal.yaml"
    threads: 1
    resources:
        gpu=torch_resource("gpu"),
        mem_mb=torch_resource("mem_mb"),
        runtime=torch_resource("runtime"),
    params:
        resume=pixie_training_state,
        settings=settings(
            visual="vae",
            model=lookup(dpath="model", within=config["pixie"]),
            vsgns={},
        ),
    script:
        "../scripts/pixie_train.py"


rule train_pixie_vsgns:
    input:
        corpus="results/data/{corpus}/corpus.txt",
        vocabulary="results/pixie/{corpus}/vocabulary.parquet",
        visual="results/pixie/{corpus}/visual.npy",
        visual_words="results/pixie/{corpus}/visual.words.parquet",
    output:
        text="results/pixie/{corpus}/{setting}/embeddings/vsgns.npy",
        text_vocab="results/pixie/{corpus}/{setting}/embeddings/vsgns.vocab.parquet",
        losses="results/pixie/{corpus}/{setting}/vsgns.losses.parquet",
    log:
        "logs/train_pixie_vsgns/{corpus}/{setting}.log",
    benchmark:
        "results/benchmarks/train_pixie_vsgns/{corpus}/{setting}.tsv"
    conda:
        "../../envs/crossmodal.yaml"
    threads: 1
    resources:
        gpu=torch_resource("gpu"),
        mem_mb=torch_resource("mem_mb"),
        runtime=torch_resource("runtime"),
    params:
        resume=pixie_training_state,
        settings=settings(
            visual="margin",
            model=lookup(dpath="model", within=config["pixie"]),
            vsgns=lookup(dpath="vsgns", within=config["pixie"]),
        ),
    script:
        "../scripts/pixie_train.py"


rule train_pixie_sgns:
    input:
        corpus="results/data/{corpus}/corpus.txt",
        vocabulary="results/pixie/{corpus}/vocabulary.parquet",
    output:
        text="results/pixie/{corpus}/all/embeddings/sgns.npy",
        text_vocab="results/pixie/{corpus}/all/embeddings/sgns.vocab.parquet",
        losses="results/pixie/{corpus}/all/sgns.losses.parquet",
    log:
        "logs/train_pixie_sgns/{corpus}.log",
    benchmark:
        "results/benchmarks/train_pixie_sgns/{corpus}.tsv"
    conda:
        "../../envs/crossmodal.yaml"
    threads: 1
    resources:
        gpu=torch_resource("gpu"),
        mem_mb=torch_resource("mem_mb"),
        runtime=torch_resource("runtime"),
    params:
        resume=pixie_training_state,
        settings=settings(
            visual="none",
            model=lookup(dpath="model", within=config["pixie"]),
            vsgns={},
        ),
    script:
        "../scripts/pixie_train.py"


rule train_pixie_sgns_gensim:
    input:
        corpus="results/data/{corpus}/corpus.txt",
    output:
        npy="results/pixie/{corpus}/all/embeddings/sgnsgensim.npy",
        vocab="results/pixie/{corpus}/all/embeddings/sgnsgensim.vocab.parquet",
    log:
        "logs/train_pixie_sgns_gensim/{corpus}.log",
    benchmark:
        "results/benchmarks/train_pixie_sgns_gensim/{corpus}.tsv"
    conda:
        "../../envs/crossmodal.yaml"
    threads: 1
    params:
        settings=settings(
            model=lookup(dpath="model", within=config["pixie"]),
            epochs=lookup(dpath="sgns_epochs", within=config["pixie"]),
            min_count=lookup(dpath="min_count", within=config["pixie"]),
        ),
    script:
        "../scripts/pixie_sgns.py"


rule embed_pixie_cnn:
    input:
        visual="results/pixie/{corpus}/visual.npy",
        visual_words="results/pixie/{corpus}/visual.words.parquet",
    output:
        npy="results/pixie/{corpus}/{setting}/embeddings/cnn.npy",
        vocab="results/pixie/{corpus}/{setting}/embeddings/cnn.vocab.parquet",
    log:
        "logs/embed_pixie_cnn/{corpus}/{setting}.log",
    benchmark:
        "results/benchmarks/embed_pixie_cnn/{corpus}/{setting}.tsv"
    conda:
        "../../envs/crossmodal.yaml"
    threads: 1
    script:
        "../scripts/pixie_cnn.py"


rule train_pixie_vae:
    input:
        visual="results/pixie/{corpus}/visual.npy",
        visual_words="results/pixie/{corpus}/visual.words.parquet",
    output:
        npy="results/pixie/{corpus}/{setting}/embeddings/vae.npy",
        vocab="results/pixie/{corpus}/{setting}/embeddings/vae.vocab.parquet",
    log:
        "logs/train_pixie_vae/{corpus}/{setting}.log",
    benchmark:
        "results/benchmarks/train_pixie_vae/{corpus}/{setting}.tsv"
    conda:
        "../../envs/crossmodal.yaml"
    threads: 1
    resources:
        gpu=torch_resource("gpu"),
        mem_mb=torch_resource("mem_mb"),
        runtime=torch_resource("runtime"),
    params:
        settings=settings(
            model=lookup(dpath="model", within=config["pixie"]),
            epochs=lookup(dpath="vae_epochs", within=config["pixie"]),
        ),
    script:
        "../scripts/pixie_vae.py"


rule concat_pixie_baseline:
    input:
        unpack(get_pixie_sgns),
        visual="results/pixie/{corpus}/{setting}/embeddings/{visual}.npy",
        visual_vocab="results/pixie/{corpus}/{setting}/embeddings/{visual}.vocab.parquet",
    output:
        npy="results/pixie/{corpus}/{setting}/embeddings/{visual}sgns.npy",
        vocab="results/pixie/{corpus}/{setting}/embeddings/{visual}sgns.vocab.parquet",
    log:
        "logs/concat_pixie_baseline/{corpus}/{setting}/{visual}sgns.log",
    benchmark:
        "results/benchmarks/concat_pixie_baseline/{corpus}/{setting}/{visual}sgns.tsv"
    conda:
        "../../envs/crossmodal.yaml"
    threads: 1
    script:
        "../scripts/pixie_concat.py"


rule train_pixie_ivsgns:
    input:
        unpack(get_pixie_sgns),
        visual="results/pixie/{corpus}/visual.npy",
        visual_words="results/pixie/{corpus}/visual.words.parquet",
    output:
        npy="results/pixie/{corpus}/{setting}/embeddings/ivsgns{map}.npy",
        vocab="results/pixie/{corpus}/{setting}/embeddings/ivsgns{map}.vocab.parquet",
    log:
        "logs/train_pixie_ivsgns/{corpus}/{setting}/{map}.log",
    benchmark:
        "results/benchmarks/train_pixie_ivsgns/{corpus}/{setting}/{map}.tsv"
    conda:
        "../../envs/crossmodal.yaml"
    threads: 1
    resources:
        gpu=torch_resource("gpu"),
        mem_mb=torch_resource("mem_mb"),
        runtime=torch_resource("runtime"),
    params:
        settings=settings(
            mapping=lookup(dpath="ivsgns/{map}", within=config["pixie"]),
        ),
    script:
        "../scripts/pixie_ivsgns.py"


rule tabulate_pixie_table2:
    input:
        vectors=pixie_embeddings("all", config["pixie"]["table2_models"], ".npy"),
        vocabs=pixie_embeddings(
            "all", config["pixie"]["table2_models"], ".vocab.parquet"
        ),
        visual_words=f"{pixie_dir()}/visual.words.parquet",
        benchmarks=pixie_benchmark_files(),
    output:
        table=report(
            "results/tables/pixie_table2.csv",
            caption="../report/pixie_table2.rst",
            **report_place("tables/pixie_table2"),
        ),
    log:
        "logs/tabulate_pixie_table2/table2.log",
    benchmark:
        "results/benchmarks/tabulate_pixie_table2/table2.tsv"
    conda:
        "../../envs/crossmodal.yaml"
    threads: 1
    params:
        models=lookup(dpath="table2_models", within=config["pixie"]),
        benchmarks=pixie_benchmarks(),
    script:
        "../scripts/pixie_table2.py"


rule tabulate_pixie_table3:
    input:
        visual_words=f"{pixie_dir()}/visual.words.parquet",
        all_vectors=pixie_embeddings(
            "all", config["pixie"]["propagation"]["models"], ".npy"
        ),
        all_vocabs=pixie_embeddings(
            "all", config["pixie"]["propagation"]["models"], ".vocab.parquet"
        ),
        heldout_vectors=pixie_embeddings(
            "heldout", config["pixie"]["propagation"]["models"], ".npy"
        ),
        heldout_vocabs=pixie_embeddings(
            "heldout", config["pixie"]["propagation"]["models"], ".vocab.parquet"
        ),
        benchmarks=pixie_benchmark_files(),
    output:
        table=report(
            "results/tables/pixie_table3.csv",
            caption="../report/pixie_table3.rst",
            **report_place("tables/pixie_table3"),
        ),
    log:
        "logs/tabulate_pixie_table3/table3.log",
    benchmark:
        "results/benchmarks/tabulate_pixie_table3/table3.tsv"
    conda:
        "../../envs/crossmodal.yaml"
    threads: 1
    params:
        models=lookup(dpath="propagation/models", within=config["pixie"]),
        benchmarks=pixie_benchmarks(),
    script:
        "../scripts/pixie_table3.py"


rule tabulate_pixie_table4:
    input:
        visual_words=f"{pixie_dir()}/visual.words.parquet",
        vectors=[
            pixie_embedding("all", "sgns", ".npy"),
            pixie_embedding("heldout", "pixieconcat", ".npy"),
        ],
        vocabs=[
            pixie_embedding("all", "sgns", ".vocab.parquet"),
            pixie_embedding("heldout", "pixieconcat", ".vocab.parquet"),
        ],
    output:
        table=report(
            "results/tables/pixie_table4.csv",
            caption="../report/pixie_table4.rst",
            **report_place("tables/pixie_table4"),
        ),
    log:
        "logs/tabulate_pixie_table4/table4.log",
    benchmark:
        "results/benchmarks/tabulate_pixie_table4/table4.tsv"
    conda:
        "../../envs/crossmodal.yaml"
    threads: 1
    params:
        columns=["sgns", "pixieconcat_withheld"],
        settings=settings(
            pairs=lookup(dpath="pair_cosines/pairs", within=config["pixie"])
        ),
    script:
        "../scripts/pixie_table4.py"


rule tabulate_pixie_table5:
    input:
        visual_words=f"{pixie_dir()}/visual.words.parquet",
        vectors=pixie_embeddings("all", ["sgns", "vsgns", "pixieconcat"], ".npy"),
        vocabs=pixie_embeddings(
            "all", ["sgns", "vsgns", "pixieconcat"], ".vocab.parquet"
        ),
    output:
        table=report(
            "results/tables/pixie_table5.csv",
            caption="../report/pixie_table5.rst",
            **report_place("tables/pixie_table5"),
        ),
    log:
        "logs/tabulate_pixie_table5/table5.log",
    benchmark:
        "results/benchmarks/tabulate_pixie_table5/table5.tsv"
    conda:
        "../../envs/crossmodal.yaml"
    threads: 1
    params:
        models=["sgns", "vsgns", "pixieconcat"],
        settings=settings(
            k=lookup(dpath="neighbours/k", within=config["pixie"]),
            queries=lookup(dpath="neighbours/queries", within=config["pixie"]),
        ),
    script:
        "../scripts/pixie_table5.py"


rule train_pixie_retrieval:
    input:
        unpack(get_pixie_retrieval_inputs),
    output:
        metrics="results/pixie/{corpus}/retrieval/{model}.parquet",
    log:
        "logs/train_pixie_retrieval/{corpus}/{model}.log",
    benchmark:
        "results/benchmarks/train_pixie_retrieval/{corpus}/{model}.tsv"
    conda:
        "../../envs/crossmodal.yaml"
    threads: 1
    resources:
        gpu=torch_resource("gpu"),
        mem_mb=torch_resource("mem_mb"),
        runtime=torch_resource("runtime"),
    params:
        resume=pixie_retrieval_state,
        settings=settings(
            joint_dim=lookup(dpath="retrieval/joint_dim", within=config["pixie"]),
            margin=lookup(dpath="retrieval/margin", within=config["pixie"]),
            lr=lookup(dpath="retrieval/lr", within=config["pixie"]),
            lr_decay_every=lookup(
                dpath="retrieval/lr_decay_every", within=config["pixie"]
            ),
            lr_decay=lookup(dpath="retrieval/lr_decay", within=config["pixie"]),
            epochs=lookup(dpath="retrieval/epochs", within=config["pixie"]),
            batch_size=lookup(dpath="retrieval/batch_size", within=config["pixie"]),
            train_embeddings=lookup(
                dpath="retrieval/train_embeddings", within=config["pixie"]
            ),
            seed=lookup(dpath="retrieval/seed", within=config["pixie"]),
            splits=lookup(dpath="retrieval/splits", within=config["pixie"]),
            recall_at=lookup(dpath="retrieval/recall_at", within=config["pixie"]),
        ),
    script:
        "../scripts/pixie_retrieval.py"


rule tabulate_pixie_table6:
    input:
        metrics=expand(
            "{dir}/retrieval/{model}.parquet",
            dir=pixie_dir(),
            model=config["pixie"]["retrieval"]["models"],
        ),
    output:
        table=report(
            "results/tables/pixie_table6.csv",
            caption="../report/pixie_table6.rst",
            **report_place("tables/pixie_table6"),
        ),
    log:
        "logs/tabulate_pixie_table6/table6.log",
    benchmark:
        "results/benchmarks/tabulate_pixie_table6/table6.tsv"
    conda:
        "../../envs/crossmodal.yaml"
    threads: 1
    script:
        "../scripts/pixie_table6.py"


rule tabulate_pixie_paper:
    input:
        table2="results/tables/pixie_table2.csv",
        table3="results/tables/pixie_table3.csv",
        table6="results/tables/pixie_table6.csv",
    output:
        table=report(
            "results/tables/pixie_paper.csv",
            caption="../report/pixie_paper.rst",
            **report_place("tables/pixie_paper"),
        ),
    log:
        "logs/tabulate_pixie_paper/paper.log",
    benchmark:
        "results/benchmarks/tabulate_pixie_paper/paper.tsv"
    conda:
        "../../envs/crossmodal.yaml"
    threads: 1
    params:
        flickr30k=pixie_retrieval_on_flickr30k(),
    script:
        "../scripts/pixie_paper.py"
