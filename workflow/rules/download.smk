# rules: download
# Every file of config `downloads` lands in resources/<name>/<filename> (see download_path) only
# once its SHA-256 matches the pinned one; an interrupted transfer resumes from <filename>.part.


rule download:
    output:
        file="resources/{download}/{filename}",
    log:
        "logs/download/{download}/{filename}.log",
    benchmark:
        "results/benchmarks/download/{download}/{filename}.tsv"
    retries: 2
    conda:
        "../../envs/crossmodal.yaml"
    threads: 1
    resources:
        mem_mb=500,
        runtime=download_runtime,
    params:
        spec=get_download_spec,
    script:
        "../scripts/download.py"
