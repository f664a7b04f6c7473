# rules: collell2018 — Collell & Moens (ACL 2018), "Do neural network cross-modal mappings really
# bridge modalities?": paired data, mappings trained on every fold, mNNO evaluation, Table 1, Fig. 2,
# Experiment 2 (untrained networks, Table 2), the supplement tables and the paper's published
# Tables 1 and 2 beside ours.


rule run_collell2018:
    input:
        "results/tables/table1.csv",
        "results/figures/collell2018_mnno_epochs.png",
        "results/figures/collell2018_mnno_epochs.pdf",
        "results/tables/collell2018_table2.csv",
        "results/tables/collell2018/untrained.csv",
        "results/tables/collell2018/mappings.csv",
        "results/tables/collell2018/paper_table1.csv",
        "results/tables/collell2018/paper_table2.csv",


rule pair_collell2018_data:
    input:
        unpack(get_collell_pair_inputs),
    output:
        image="results/collell2018/{dataset}/{vis}__{lang}/image.npy",
        text="results/collell2018/{dataset}/{vis}__{lang}/text.npy",
        item_table="results/collell2018/{dataset}/{vis}__{lang}/items.parquet",
    log:
        "logs/pair_collell2018_data/{dataset}/{vis}__{lang}.log",
    benchmark:
        "results/benchmarks/pair_collell2018_data/{dataset}/{vis}__{lang}.tsv"
    conda:
        "../../envs/crossmodal.yaml"
    threads: 1
    params:
        spec=lookup(dpath="{dataset}", within=COLLELL_PAIR_SPECS),
    script:
        "../scripts/collell2018_pair.py"


rule train_collell2018_mapping:
    input:
        image="results/collell2018/{dataset}/{vis}__{lang}/image.npy",
        text="results/collell2018/{dataset}/{vis}__{lang}/text.npy",
        item_table="results/collell2018/{dataset}/{vis}__{lang}/items.parquet",
    output:
        checkpoints="results/collell2018/{dataset}/{vis}__{lang}/{direction}/{mapping}/checkpoints.pt",
        selection="results/collell2018/{dataset}/{vis}__{lang}/{direction}/{mapping}/selection.parquet",
    log:
        "logs/train_collell2018_mapping/{dataset}/{vis}__{lang}/{direction}/{mapping}.log",
    benchmark:
        "results/benchmarks/train_collell2018_mapping/{dataset}/{vis}__{lang}/{direction}/{mapping}.tsv"
    conda:
        "../../envs/crossmodal.yaml"
    threads: 1
    resources:
        gpu=torch_resource("gpu"),
        mem_mb=torch_resource("mem_mb"),
        runtime=torch_resource("runtime"),
    params:
        settings=settings(
            mapping=lookup(dpath="{mapping}", within=COLLELL_MAPPINGS),
            grid=lookup(dpath="selection/grid", within=config["collell2018"]),
            inner_folds=lookup(
                dpath="selection/inner_folds", within=config["collell2018"]
            ),
            runs=lookup(dpath="split_runs", within=config["collell2018"]),
        ),
    script:
        "../scripts/collell2018_train.py"


rule evaluate_collell2018_mapping:
    input:
        image="results/collell2018/{dataset}/{vis}__{lang}/image.npy",
        text="results/collell2018/{dataset}/{vis}__{lang}/text.npy",
        item_table="results/collell2018/{dataset}/{vis}__{lang}/items.parquet",
        checkpoints="results/collell2018/{dataset}/{vis}__{lang}/{direction}/{mapping}/checkpoints.pt",
    output:
        metrics="results/collell2018/{dataset}/{vis}__{lang}/{direction}/{mapping}/metrics.parquet",
        overlaps="results/collell2018/{dataset}/{vis}__{lang}/{direction}/{mapping}/overlaps.parquet",
    log:
        "logs/evaluate_collell2018_mapping/{dataset}/{vis}__{lang}/{direction}/{mapping}.log",
    benchmark:
        "results/benchmarks/evaluate_collell2018_mapping/{dataset}/{vis}__{lang}/{direction}/{mapping}.tsv"
    conda:
        "../../envs/crossmodal.yaml"
    threads: 1
    resources:
        gpu=torch_resource("gpu"),
        mem_mb=torch_resource("mem_mb"),
        runtime=torch_resource("runtime"),
    params:
        settings=settings(
            k=lookup(dpath="evaluation/k", within=config["collell2018"]),
            neighbours=lookup(
                dpath="evaluation/neighbours", within=config["collell2018"]
            ),
            precision_at=lookup(
                dpath="evaluation/precision_at", within=config["collell2018"]
            ),
            curve_every=lookup(
                dpath="evaluation/curve_every", within=config["collell2018"]
            ),
            include_self=lookup(
                dpath="evaluation/include_self", within=config["collell2018"]
            ),
        ),
    script:
        "../scripts/collell2018_evaluate.py"


rule tabulate_collell2018_table1:
    input:
        metrics=collell_outputs(
            "metrics.parquet", config["collell2018"]["table1_mappings"]
        ),
        overlaps=collell_outputs(
            "overlaps.parquet", config["collell2018"]["table1_mappings"]
        ),
    output:
        table=report(
            "results/tables/table1.csv",
            caption="../report/table1.rst",
            **report_place("tables/table1"),
        ),
    log:
        "logs/tabulate_collell2018_table1/table1.log",
    benchmark:
        "results/benchmarks/tabulate_collell2018_table1/table1.tsv"
    conda:
        "../../envs/crossmodal.yaml"
    threads: 1
    params:
        settings=settings(
            mappings=lookup(dpath="table1_mappings", within=config["collell2018"]),
            k=lookup(dpath="evaluation/k", within=config["collell2018"]),
            alpha=lookup(dpath="evaluation/alpha", within=config["collell2018"]),
        ),
    script:
        "../scripts/collell2018_table1.py"


rule plot_collell2018_epochs:
    input:
        metrics=collell_outputs(
            "metrics.parquet", config["collell2018"]["table1_mappings"]
        ),
    output:
        png=report(
            "results/figures/collell2018_mnno_epochs.png",
            caption="../report/mnno_epochs_figure.rst",
            **report_place("figures/collell2018_mnno_epochs"),
        ),
        pdf="results/figures/collell2018_mnno_epochs.pdf",
        curves=report(
            "results/tables/collell2018/mnno_epochs.csv",
            caption="../report/mnno_epochs_table.rst",
            **report_place("tables/collell2018/mnno_epochs"),
        ),
    log:
        "logs/plot_collell2018_epochs/figure.log",
    benchmark:
        "results/benchmarks/plot_collell2018_epochs/figure.tsv"
    conda:
        "../../envs/crossmodal.yaml"
    threads: 1
    script:
        "../scripts/collell2018_figure.py"


rule tabulate_collell2018_supplement:
    input:
        metrics=collell_outputs("metrics.parquet", COLLELL_REPORTED),
        selection=collell_outputs("selection.parquet", COLLELL_REPORTED),
    output:
        mappings=report(
            "results/tables/collell2018/mappings.csv",
            caption="../report/supplement_mappings.rst",
            **report_place("tables/collell2018/mappings"),
        ),
        losses=report(
            "results/tables/collell2018/losses.csv",
            caption="../report/supplement_losses.rst",
            **report_place("tables/collell2018/losses"),
        ),
        depths=report(
            "results/tables/collell2018/depths.csv",
            caption="../report/supplement_depths.rst",
            **report_place("tables/collell2018/depths"),
        ),
        hyperparameters=report(
            "results/tables/collell2018/hyperparameters.csv",
            caption="../report/supplement_hyperparameters.rst",
            **report_place("tables/collell2018/hyperparameters"),
        ),
    log:
        "logs/tabulate_collell2018_supplement/supplement.log",
    benchmark:
        "results/benchmarks/tabulate_collell2018_supplement/supplement.tsv"
    conda:
        "../../envs/crossmodal.yaml"
    threads: 1
    params:
        mappings={name: COLLELL_MAPPINGS[name] for name in COLLELL_REPORTED},
        selection_settings=COLLELL_SETTINGS,
    script:
        "../scripts/collell2018_supplement.py"


rule evaluate_collell2018_untrained:
    input:
        unpack(get_collell_untrained_inputs),
    output:
        scores="results/collell2018/untrained/{embedding}.parquet",
    log:
        "logs/evaluate_collell2018_untrained/{embedding}.log",
    benchmark:
        "results/benchmarks/evaluate_collell2018_untrained/{embedding}.tsv"
    conda:
        "../../envs/crossmodal.yaml"
    threads: 1
    resources:
        mem_mb=torch_resource("mem_mb"),
        runtime=torch_resource("runtime"),
    params:
        settings=settings(
            depths=lookup(dpath="untrained/depths", within=config["collell2018"]),
            seeds=lookup(dpath="untrained/seeds", within=config["collell2018"]),
            width=lookup(dpath="untrained/width", within=config["collell2018"]),
            weight_range=lookup(
                dpath="untrained/weight_range", within=config["collell2018"]
            ),
            similarities=lookup(
                dpath="untrained/similarities", within=config["collell2018"]
            ),
            label_column=lookup(
                dpath="{embedding}/label_column", within=COLLELL_EMBEDDINGS
            ),
            header=lookup(dpath="{embedding}/header", within=COLLELL_EMBEDDINGS),
        ),
    script:
        "../scripts/collell2018_untrained.py"


rule tabulate_collell2018_table2:
    input:
        scores=expand(
            "results/collell2018/untrained/{embedding}.parquet",
            embedding=list(COLLELL_EMBEDDINGS),
        ),
    output:
        table2=report(
            "results/tables/collell2018_table2.csv",
            caption="../report/table2.rst",
            **report_place("tables/collell2018_table2"),
        ),
        supplement=report(
            "results/tables/collell2018/untrained.csv",
            caption="../report/supplement_untrained.rst",
            **report_place("tables/collell2018/untrained"),
        ),
    log:
        "logs/tabulate_collell2018_table2/table2.log",
    benchmark:
        "results/benchmarks/tabulate_collell2018_table2/table2.tsv"
    conda:
        "../../envs/crossmodal.yaml"
    threads: 1
    params:
        settings=settings(
            alpha=lookup(dpath="untrained/alpha", within=config["collell2018"]),
            min_pairs=lookup(
                dpath="untrained/min_pairs", within=config["collell2018"]
            ),
            benchmarks=lookup(
                dpath="untrained/benchmarks", within=config["collell2018"]
            ),
        ),
    script:
        "../scripts/collell2018_table2.py"


# The paper's published Tables 1 and 2 (package data, each citing its table) beside the rows of
# ours with the same dataset, features, mapping and direction, or embedding, benchmark,
# similarity and network: the full config's names.
rule tabulate_collell2018_paper:
    input:
        table1="results/tables/table1.csv",
        table2="results/tables/collell2018_table2.csv",
    output:
        table1=report(
            "results/tables/collell2018/paper_table1.csv",
            caption="../report/paper_table1.rst",
            **report_place("tables/collell2018/paper_table1"),
        ),
        table2=report(
            "results/tables/collell2018/paper_table2.csv",
            caption="../report/paper_table2.rst",
            **report_place("tables/collell2018/paper_table2"),
        ),
    log:
        "logs/tabulate_collell2018_paper/paper.log",
    benchmark:
        "results/benchmarks/tabulate_collell2018_paper/paper.tsv"
    conda:
        "../../envs/crossmodal.yaml"
    threads: 1
    script:
        "../scripts/collell2018_paper.py"


# Collell & Moens' released ImageNet / IAPR TC-12 / Wiki feature files are linked from the
# paper's web page, not from fixed file URLs: config/full.yaml points at
# resources/collell2018_release/<dataset>/<file>, and this rule, when such a file is missing,
# fails with a message saying where to get it (the DAG stays complete for `snakemake -n`).
rule require_collell2018_release:
    output:
        file="resources/collell2018_release/{dataset}/{filename}",
    log:
        "logs/require_collell2018_release/{dataset}/{filename}.log",
    benchmark:
        "results/benchmarks/require_collell2018_release/{dataset}/{filename}.tsv"
    conda:
        "../../envs/crossmodal.yaml"
    threads: 1
    params:
        page="http://liir.cs.kuleuven.be/software_pages/cross_modal_acl.php",
    script:
        "../scripts/collell2018_release.py"
