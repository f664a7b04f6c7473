# rules: cnn — pooled activations of one layer of a CNN, one vector per image. Each model of config
# `vision: cnn:` is run by the rule of its backend (torch: a seeded untrained network; opencv: a
# downloaded pretrained model); the .meta.json sidecar records which weights made the features.


rule extract_cnn_torch:
    input:
        images="results/data/{dataset}/images.parquet",
    output:
        matrix="results/features/{dataset}/cnn_{model}_{layer}.npy",
        ids="results/features/{dataset}/cnn_{model}_{layer}.ids.parquet",
        meta="results/features/{dataset}/cnn_{model}_{layer}.meta.json",
    log:
        "logs/extract_cnn_torch/{dataset}/{model}_{layer}.log",
    benchmark:
        "results/benchmarks/extract_cnn_torch/{dataset}/{model}_{layer}.tsv"
    wildcard_constraints:
        model=cnn_models("torch"),
    conda:
        "../../envs/crossmodal.yaml"
    threads: 8
    resources:
        gpu=torch_resource("gpu"),
        mem_mb=torch_resource("mem_mb"),
        runtime=torch_resource("runtime"),
    params:
        settings=settings(
            cnn=lookup(dpath="cnn/{model}", within=config["vision"]),
            max_side=lookup(dpath="max_side", within=config["vision"]),
        ),
    script:
        "../scripts/extract_cnn.py"


rule extract_cnn_opencv:
    input:
        unpack(get_cnn_model_files),
        images="results/data/{dataset}/images.parquet",
    output:
        matrix="results/features/{dataset}/cnn_{model}_{layer}.npy",
        ids="results/features/{dataset}/cnn_{model}_{layer}.ids.parquet",
        meta="results/features/{dataset}/cnn_{model}_{layer}.meta.json",
    log:
        "logs/extract_cnn_opencv/{dataset}/{model}_{layer}.log",
    benchmark:
        "results/benchmarks/extract_cnn_opencv/{dataset}/{model}_{layer}.tsv"
    wildcard_constraints:
        model=cnn_models("opencv"),
    conda:
        "../../envs/crossmodal.yaml"
    threads: 8
    resources:
        mem_mb=torch_resource("mem_mb"),
        runtime=torch_resource("runtime"),
    params:
        settings=settings(
            cnn=lookup(dpath="cnn/{model}", within=config["vision"]),
            max_side=lookup(dpath="max_side", within=config["vision"]),
        ),
    script:
        "../scripts/extract_cnn.py"
