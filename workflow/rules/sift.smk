# rules: sift — dense SIFT bag of visual words: a k-means codebook fitted on descriptors sampled
# from training images (one job), then one L1-normalised histogram of visual words per image (any
# split), encoded in shards of the image table (config `datasets: <dataset>: shards:`, one job
# each) whose rows gather_bovw joins into the one matrix (crossmodal.features.shards).
# Dense descriptors are recomputed by each rule rather than stored: at NUS-WIDE scale they would
# be ~30 GB on disk, while the codebook needs only a sample (see vision.codebook.max_images).


rule extract_features:
    input:
        get_feature_outputs(),


rule fit_codebook:
    input:
        images="results/data/{dataset}/images.parquet",
    output:
        codebook="results/features/{dataset}/codebook_k{k}.npy",
    log:
        "logs/fit_codebook/{dataset}/k{k}.log",
    benchmark:
        "results/benchmarks/fit_codebook/{dataset}/k{k}.tsv"
    conda:
        "../../envs/crossmodal.yaml"
    threads: 8
    resources:
        mem_mb=codebook_mem_mb,
    params:
        settings=settings(
            max_side=lookup(dpath="max_side", within=config["vision"]),
            step=lookup(dpath="sift/step", within=config["vision"]),
            size=lookup(dpath="sift/size", within=config["vision"]),
            descriptors_per_image=lookup(
                dpath="codebook/descriptors_per_image", within=config["vision"]
            ),
            max_images=lookup(dpath="codebook/max_images", within=config["vision"]),
            max_iter=lookup(dpath="codebook/max_iter", within=config["vision"]),
            points_per_centre=lookup(
                dpath="codebook/points_per_centre", within=config["vision"]
            ),
            seed=lookup(dpath="codebook/seed", within=config["vision"]),
        ),
    script:
        "../scripts/fit_codebook.py"


rule encode_bovw:
    input:
        images="results/data/{dataset}/images.parquet",
        codebook="results/features/{dataset}/codebook_k{k}.npy",
    output:
        matrix="results/features/{dataset}/shards/bovw_k{k}/{shard}-of-{shards}.npy",
        ids="results/features/{dataset}/shards/bovw_k{k}/{shard}-of-{shards}.ids.parquet",
    log:
        "logs/encode_bovw/{dataset}/k{k}/{shard}-of-{shards}.log",
    benchmark:
        "results/benchmarks/encode_bovw/{dataset}/k{k}/{shard}-of-{shards}.tsv"
    conda:
        "../../envs/crossmodal.yaml"
    threads: 8
    params:
        settings=settings(
            max_side=lookup(dpath="max_side", within=config["vision"]),
            step=lookup(dpath="sift/step", within=config["vision"]),
            size=lookup(dpath="sift/size", within=config["vision"]),
        ),
    script:
        "../scripts/encode_bovw.py"


rule gather_bovw:
    input:
        matrices=feature_shards("bovw_k{k}", ".npy"),
        ids=feature_shards("bovw_k{k}", ".ids.parquet"),
    output:
        matrix="results/features/{dataset}/bovw_k{k}.npy",
        ids="results/features/{dataset}/bovw_k{k}.ids.parquet",
    log:
        "logs/gather_bovw/{dataset}/k{k}.log",
    benchmark:
        "results/benchmarks/gather_bovw/{dataset}/k{k}.tsv"
    conda:
        "../../envs/crossmodal.yaml"
    script:
        "../scripts/gather_features.py"
