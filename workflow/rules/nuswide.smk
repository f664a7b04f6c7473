# rules: nuswide — the NUS-WIDE multimodal study: dense-SIFT bag of visual words (PCA-whitened),
# binary tags, semantic tag vectors (log-bilinear document model), LSA, and a joint image-text
# autoencoder with its cross-modal variants, compared by concept classification (mean ROC AUC of
# one logistic regression per concept): Table 2 beside the paper's, the AUC bar chart and the
# nearest-tag reconstruction figure. The demo runs it on the Tux Paint stamps.
#
# As in the paper, each concept's tags are removed from the dictionary before anything is fitted
# for it: tag vectors, LSA and autoencoders are fitted once per concept *slot* (concept<k>, row k
# of concepts.parquet), one small job per slot and model so that a cluster runs them side by
# side (`tag_removal: per_concept`); or, with `all_concepts`, once without every concept's tags
# (slot without_concepts). Slot all_tags keeps every tag for the figure. The preparation reads
# tags only and the whitening the BoVW only, so a SIFT setting never refits tag vectors or LSA.
#
# The study's input functions and model slots are in common_nuswide.smk.


rule run_nuswide:
    input:
        "results/tables/nuswide_table2.csv",
        "results/figures/nuswide_auc.png",
        "results/figures/nuswide_auc.pdf",
        "results/tables/nuswide_predicted_tags.csv",
        "results/figures/nuswide_predicted_tags.png",
        "results/figures/nuswide_predicted_tags.pdf",


rule prepare_nuswide_study:
    input:
        unpack(get_nuswide_study_inputs),
    output:
        item_table="results/nuswide/{dataset}/items.parquet",
        concepts="results/nuswide/{dataset}/concepts.parquet",
        vocabulary="results/nuswide/{dataset}/tag_vocabulary.parquet",
        tags="results/nuswide/{dataset}/tags.npy",
        tag_ids="results/nuswide/{dataset}/tags.ids.parquet",
    log:
        "logs/prepare_nuswide_study/{dataset}.log",
    benchmark:
        "results/benchmarks/prepare_nuswide_study/{dataset}.tsv"
    conda:
        "../../envs/crossmodal.yaml"
    threads: 1
    params:
        settings=settings(
            concept_source=lookup(dpath="concept_source", within=config["nuswide"]),
            concepts=lookup(dpath="concepts", within=config["nuswide"]),
            n_concepts=lookup(dpath="n_concepts", within=config["nuswide"]),
            train_size=lookup(dpath="train_size", within=config["nuswide"]),
            test_size=lookup(dpath="test_size", within=config["nuswide"]),
            seed=lookup(dpath="seed", within=config["nuswide"]),
            min_tag_images=lookup(dpath="tags/min_images", within=config["nuswide"]),
            max_tags=lookup(dpath="tags/max_tags", within=config["nuswide"]),
        ),
    script:
        "../scripts/nuswide_prepare.py"


rule whiten_nuswide_sift:
    input:
        unpack(get_nuswide_bovw),
        item_table="results/nuswide/{dataset}/items.parquet",
    output:
        matrix="results/nuswide/{dataset}/sift.npy",
        ids="results/nuswide/{dataset}/sift.ids.parquet",
    log:
        "logs/whiten_nuswide_sift/{dataset}.log",
    benchmark:
        "results/benchmarks/whiten_nuswide_sift/{dataset}.tsv"
    conda:
        "../../envs/crossmodal.yaml"
    threads: 1
    params:
        settings=settings(
            dim=lookup(dpath="sift_dim", within=config["nuswide"]),
            seed=lookup(dpath="seed", within=config["nuswide"]),
        ),
    script:
        "../scripts/nuswide_whiten.py"


rule fit_nuswide_tag_vectors:
    input:
        unpack(get_nuswide_tag_data),
    output:
        matrix="results/nuswide/{dataset}/{slot}/tag_vectors.npy",
        words="results/nuswide/{dataset}/{slot}/tag_vectors.words.parquet",
    log:
        "logs/fit_nuswide_tag_vectors/{dataset}/{slot}.log",
    benchmark:
        "results/benchmarks/fit_nuswide_tag_vectors/{dataset}/{slot}.tsv"
    wildcard_constraints:
        slot=NUSWIDE_SLOT,
    conda:
        "../../envs/crossmodal.yaml"
    threads: 1
    resources:
        gpu=torch_resource("gpu"),
        mem_mb=torch_resource("mem_mb"),
        runtime=torch_resource("runtime"),
    params:
        settings=lookup(dpath="tag_vectors", within=config["nuswide"]),
    script:
        "../scripts/nuswide_tag_vectors.py"


rule fit_nuswide_lsa:
    input:
        unpack(get_nuswide_tag_data),
    output:
        matrix="results/nuswide/{dataset}/{slot}/lsa.npy",
        words="results/nuswide/{dataset}/{slot}/lsa.words.parquet",
    log:
        "logs/fit_nuswide_lsa/{dataset}/{slot}.log",
    benchmark:
        "results/benchmarks/fit_nuswide_lsa/{dataset}/{slot}.tsv"
    wildcard_constraints:
        slot=NUSWIDE_SLOT,
    conda:
        "../../envs/crossmodal.yaml"
    threads: 1
    params:
        settings=lookup(dpath="lsa", within=config["nuswide"]),
    script:
        "../scripts/nuswide_lsa.py"


rule train_nuswide_autoencoder:
    input:
        unpack(get_nuswide_tag_data),
        visual="results/nuswide/{dataset}/sift.npy",
        visual_ids="results/nuswide/{dataset}/sift.ids.parquet",
        tag_vectors="results/nuswide/{dataset}/{slot}/tag_vectors.npy",
        tag_vector_words="results/nuswide/{dataset}/{slot}/tag_vectors.words.parquet",
    output:
        model="results/nuswide/{dataset}/{slot}/autoencoder/{variant}.pt",
    log:
        "logs/train_nuswide_autoencoder/{dataset}/{slot}/{variant}.log",
    benchmark:
        "results/benchmarks/train_nuswide_autoencoder/{dataset}/{slot}/{variant}.tsv"
    wildcard_constraints:
        slot=NUSWIDE_SLOT,
        variant=one_of(NUSWIDE_VARIANTS),
    conda:
        "../../envs/crossmodal.yaml"
    threads: 1
    resources:
        gpu=torch_resource("gpu"),
        mem_mb=torch_resource("mem_mb"),
        runtime=torch_resource("runtime"),
    params:
        settings=lookup(dpath="autoencoder", within=config["nuswide"]),
        scoring=nuswide_classifier_settings(),
    script:
        "../scripts/nuswide_autoencoder.py"


rule classify_nuswide_concepts:
    input:
        unpack(get_nuswide_classify_inputs),
    output:
        scores="results/nuswide/{dataset}/auc/{representation}.parquet",
    log:
        "logs/classify_nuswide_concepts/{dataset}/{representation}.log",
    benchmark:
        "results/benchmarks/classify_nuswide_concepts/{dataset}/{representation}.tsv"
    wildcard_constraints:
        representation=one_of(config["nuswide"]["representations"]),
    conda:
        "../../envs/crossmodal.yaml"
    threads: config["nuswide"]["classification"]["threads"]
    params:
        settings=nuswide_classifier_settings(),
        slots=NUSWIDE_CONCEPT_SLOTS,
    script:
        "../scripts/nuswide_classify.py"


rule tabulate_nuswide_table2:
    input:
        concepts=nuswide_path("concepts.parquet"),
        scores=expand(
            "results/nuswide/{dataset}/auc/{representation}.parquet",
            dataset=config["nuswide"]["dataset"],
            representation=config["nuswide"]["representations"],
        ),
    output:
        table=report(
            "results/tables/nuswide_table2.csv",
            caption="../report/nuswide_table2.rst",
            **report_place("tables/nuswide_table2"),
        ),
    log:
        "logs/tabulate_nuswide_table2/table2.log",
    benchmark:
        "results/benchmarks/tabulate_nuswide_table2/table2.tsv"
    conda:
        "../../envs/crossmodal.yaml"
    threads: 1
    script:
        "../scripts/nuswide_table2.py"


rule plot_nuswide_auc:
    input:
        table="results/tables/nuswide_table2.csv",
    output:
        png=report(
            "results/figures/nuswide_auc.png",
            caption="../report/nuswide_auc_figure.rst",
            **report_place("figures/nuswide_auc"),
        ),
        pdf="results/figures/nuswide_auc.pdf",
    log:
        "logs/plot_nuswide_auc/figure.log",
    benchmark:
        "results/benchmarks/plot_nuswide_auc/figure.tsv"
    conda:
        "../../envs/crossmodal.yaml"
    threads: 1
    script:
        "../scripts/plot_nuswide_auc.py"


rule plot_nuswide_tags:
    input:
        images=nuswide_data_path("images.parquet"),
        item_table=nuswide_path("items.parquet"),
        concepts=nuswide_path("concepts.parquet"),
        vocabulary=nuswide_path("tag_vocabulary.parquet"),
        tags=nuswide_path("tags.npy"),
        tag_ids=nuswide_path("tags.ids.parquet"),
        visual=nuswide_path("sift.npy"),
        visual_ids=nuswide_path("sift.ids.parquet"),
        tag_vectors=nuswide_path(f"{NUSWIDE_ALL_TAGS}/tag_vectors.npy"),
        tag_vector_words=nuswide_path(f"{NUSWIDE_ALL_TAGS}/tag_vectors.words.parquet"),
        autoencoder=nuswide_path(
            f"{NUSWIDE_ALL_TAGS}/autoencoder/{config['nuswide']['tag_figure']['variant']}.pt"
        ),
    output:
        table=report(
            "results/tables/nuswide_predicted_tags.csv",
            caption="../report/nuswide_predicted_tags_table.rst",
            **report_place("tables/nuswide_predicted_tags"),
        ),
        png=report(
            "results/figures/nuswide_predicted_tags.png",
            caption="../report/nuswide_predicted_tags.rst",
            **report_place("figures/nuswide_predicted_tags"),
        ),
        pdf="results/figures/nuswide_predicted_tags.pdf",
    log:
        "logs/plot_nuswide_tags/figure.log",
    benchmark:
        "results/benchmarks/plot_nuswide_tags/figure.tsv"
    conda:
        "../../envs/crossmodal.yaml"
    threads: 1
    resources:
        mem_mb=torch_resource("mem_mb"),
    params:
        settings=lookup(dpath="tag_figure", within=config["nuswide"]),
    script:
        "../scripts/plot_nuswide_tags.py"
