# rules: report — figures drawn from the final tables and the data summaries that
# `snakemake --report` shows beside the tables; rule run_report builds everything the report
# includes:
#   snakemake --cores 2 run_report && snakemake --report results/report.html run_report


rule run_report:
    input:
        get_report_targets(),


rule plot_collell2018_table1:
    input:
        table="results/tables/table1.csv",
    output:
        png=report(
            "results/figures/collell2018_table1.png",
            caption="../report/table1_figure.rst",
            **report_place("figures/collell2018_table1"),
        ),
        pdf="results/figures/collell2018_table1.pdf",
    log:
        "logs/plot_collell2018_table1/figure.log",
    benchmark:
        "results/benchmarks/plot_collell2018_table1/figure.tsv"
    conda:
        "../../envs/crossmodal.yaml"
    threads: 1
    script:
        "../scripts/plot_collell2018_table1.py"


rule plot_collell2018_similarity:
    input:
        table="results/tables/collell2018_table2.csv",
    output:
        png=report(
            "results/figures/collell2018_word_similarity.png",
            caption="../report/word_similarity_figure.rst",
            **report_place("figures/collell2018_word_similarity"),
        ),
        pdf="results/figures/collell2018_word_similarity.pdf",
    log:
        "logs/plot_collell2018_similarity/figure.log",
    benchmark:
        "results/benchmarks/plot_collell2018_similarity/figure.tsv"
    conda:
        "../../envs/crossmodal.yaml"
    threads: 1
    script:
        "../scripts/plot_collell2018_similarity.py"


# The image-table summary, the visual vocabulary and the pretrained CNN's ImageNet agreement as
# CSV: the report shows CSV as a table, Parquet only as a download.
rule tabulate_data_summary:
    input:
        summary="results/data/{dataset}/summary.csv",
        vocabulary="results/words/{dataset}/visual_vocabulary.parquet",
        imagenet="results/features/{dataset}/imagenet_agreement.parquet",
    output:
        summary=report(
            "results/tables/{dataset}/data_summary.csv",
            caption="../report/data_summary.rst",
            **report_place("tables/{dataset}/data_summary"),
        ),
        vocabulary=report(
            "results/tables/{dataset}/visual_vocabulary.csv",
            caption="../report/visual_vocabulary.rst",
            **report_place("tables/{dataset}/visual_vocabulary"),
        ),
        imagenet=report(
            "results/tables/{dataset}/imagenet_agreement.csv",
            caption="../report/imagenet_agreement.rst",
            **report_place("tables/{dataset}/imagenet_agreement"),
        ),
    log:
        "logs/tabulate_data_summary/{dataset}.log",
    benchmark:
        "results/benchmarks/tabulate_data_summary/{dataset}.tsv"
    wildcard_constraints:
        dataset=datasets_of_source("tuxpaint"),
    conda:
        "../../envs/crossmodal.yaml"
    threads: 1
    script:
        "../scripts/tabulate_data_summary.py"


# Snakemake's report offers a CSV only as a download: each final table also gets an HTML view,
# placed next to its CSV entry in the report.
rule render_table_view:
    input:
        table="results/tables/{table}.csv",
    output:
        html=report(
            "results/tables/{table}.html",
            caption="../report/table_view.rst",
            category=table_view("category"),
            subcategory=table_view("subcategory"),
            labels=table_view("labels"),
        ),
    log:
        "logs/render_table_view/{table}.log",
    benchmark:
        "results/benchmarks/render_table_view/{table}.tsv"
    wildcard_constraints:
        table=one_of(REPORT_VIEWS),
    conda:
        "../../envs/crossmodal.yaml"
    threads: 1
    params:
        title=table_view("title"),
    script:
        "../scripts/render_table_view.py"
