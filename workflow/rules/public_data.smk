# rules: public_data
# The downloaded NUS-WIDE and Flickr30K files as canonical tables (DESIGN.md): images.parquet for
# every dataset, plus concepts.parquet (NUS-WIDE's 81-concept ground truth) or captions.parquet
# (Flickr30K's five captions per image with Karpathy's split).


rule build_nuswide_tables:
    input:
        archives=get_dataset_archives,
    output:
        images="results/data/{dataset}/images.parquet",
        concepts="results/data/{dataset}/concepts.parquet",
    log:
        "logs/build_nuswide_tables/{dataset}.log",
    benchmark:
        "results/benchmarks/build_nuswide_tables/{dataset}.tsv"
    wildcard_constraints:
        dataset=datasets_of_source("nuswide"),
    conda:
        "../../envs/crossmodal.yaml"
    threads: 1
    resources:
        mem_mb=3000,
    params:
        images_dir=lookup(
            dpath="{dataset}/images_dir", within=config["datasets"], default=""
        ),
    script:
        "../scripts/build_nuswide_tables.py"


rule build_flickr30k_tables:
    input:
        archives=get_dataset_archives,
    output:
        images="results/data/{dataset}/images.parquet",
        captions="results/data/{dataset}/captions.parquet",
    log:
        "logs/build_flickr30k_tables/{dataset}.log",
    benchmark:
        "results/benchmarks/build_flickr30k_tables/{dataset}.tsv"
    wildcard_constraints:
        dataset=datasets_of_source("flickr30k"),
    conda:
        "../../envs/crossmodal.yaml"
    threads: 1
    resources:
        mem_mb=4000,
    params:
        images_dir=lookup(
            dpath="{dataset}/images_dir", within=config["datasets"], default=""
        ),
    script:
        "../scripts/build_flickr30k_tables.py"
