"""Cross-references between config sections, checked once when the workflow is parsed.

The JSON Schema checks each value on its own; it cannot say that a corpus's ``download`` must
be a key of ``downloads`` or that a PIXIE benchmark must be configured. Checked here, before any
job runs, a dangling name stops the run with one line naming the key, instead of an error from
inside an input function (or only once the job that needs it is reached), and the workflow's
input functions can simply look names up.

Bring-your-own feature files are checked too: Snakemake alone would answer "Nothing to be done"
when a path is changed to a missing file after a first run, as the old outputs exist.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from crossmodal.core.errors import InputError

Problems = Iterator[str]


def _downloads(config: Mapping[str, Any]) -> Problems:
    """Every reference to a key of ``downloads``: dataset archives, corpus and benchmark files,
    CNN model files and pretrained vectors."""
    downloads = config["downloads"]
    for name, entry in config["datasets"].items():
        missing = [n for n in entry.get("archives", []) if n not in downloads]
        if missing:
            yield (
                f"config datasets.{name}.archives: {', '.join(missing)} not in config `downloads`"
            )
    for section in ("corpora", "benchmarks"):
        for name, entry in config[section].items():
            if entry["source"] == "download" and entry.get("download") not in downloads:
                yield (
                    f"config {section}.{name}.download: {entry.get('download')!r} "
                    "is not in config `downloads`"
                )
    for model, entry in config["vision"]["cnn"].items():
        for key in ("model", "config"):
            if key in entry and entry[key] not in downloads:
                yield f"config vision.cnn.{model}.{key}: {entry[key]!r} is not a key of `downloads`"
    for name, entry in config["text"]["pretrained"].items():
        if entry["download"] not in downloads:
            yield (
                f"config text.pretrained.{name}.download: {entry['download']!r} "
                "is not in config `downloads`"
            )


def _corpora(config: Mapping[str, Any]) -> Problems:
    """Corpora named by the text and PIXIE sections, and WordNet glosses, which are written
    around the words of `words: dataset` and so need a dataset with images."""
    for key, corpus in (
        ("text.sgns.corpus", config["text"]["sgns"]["corpus"]),
        ("pixie.corpus", config["pixie"]["corpus"]),
    ):
        if corpus not in config["corpora"]:
            yield f"config {key}: {corpus!r} is not in config `corpora`"
    words_dataset = config["datasets"].get(config["words"]["dataset"], {})
    for name, entry in config["corpora"].items():
        if entry.get("wordnet_glosses") and words_dataset.get("source", "features") == "features":
            yield (
                f"config corpora.{name}.wordnet_glosses needs `words: dataset` "
                "to name a dataset with images"
            )


def _collell2018(config: Mapping[str, Any]) -> Problems:
    """Datasets to run, mapping variants to report and Table 2's benchmarks must be
    configured; Table 1's cosine neighbours must be computed; a features dataset with one file
    per modality must say how to split it (else only its pairing job would find out)."""
    section = config["collell2018"]
    unknown = [n for n in section["run"] if n not in section["datasets"]]
    if unknown:
        yield f"collell2018.run: {', '.join(unknown)} not in collell2018.datasets"
    reported = dict.fromkeys(section["table1_mappings"] + section["supplement_mappings"])
    unknown = [n for n in reported if n not in section["mappings"]]
    if unknown:
        yield f"collell2018: mapping(s) {', '.join(unknown)} not in collell2018.mappings"
    unknown = [n for n in section["untrained"]["benchmarks"] if n not in config["benchmarks"]]
    if unknown:
        yield f"collell2018.untrained.benchmarks: {', '.join(unknown)} not in `benchmarks`"
    neighbours = section["evaluation"]["neighbours"]
    if "cosine" not in neighbours:
        yield (
            f"config collell2018.evaluation.neighbours: {neighbours} leaves out cosine, which "
            "Table 1 and the mNNO-vs-epochs figure report; add cosine"
        )
    for name, entry in section["datasets"].items():
        if entry["source"] != "features":
            continue
        single = any("file" in files for m in ("visual", "text") for files in entry[m].values())
        if single and not any(entry.get(key) for key in ("folds", "test_fraction", "split_file")):
            yield (
                f"config collell2018.datasets.{name}: one feature file per modality needs a "
                "split; give folds, test_fraction or split_file"
            )


def _feature_files(config: Mapping[str, Any]) -> Problems:
    """Bring-your-own feature files of `collell2018: datasets:` exist, unless they are under
    resources/, where a download rule (or require_collell2018_release) provides them."""
    for name, entry in config["collell2018"]["datasets"].items():
        if entry["source"] != "features":
            continue
        files = [
            (f"{modality}.{part}.{key}", path)
            for modality in ("visual", "text")
            for part, paths in entry[modality].items()
            for key, path in paths.items()
        ]
        if "split_file" in entry:
            files.append(("split_file", entry["split_file"]))
        for key, path in files:
            if not path.startswith("resources/") and not os.path.exists(path):
                yield f"config collell2018.datasets.{name}.{key}: file {path} does not exist"


def _pixie(config: Mapping[str, Any]) -> Problems:
    """Benchmarks of the PIXIE tables must be configured; the visual source must name what it
    reads; and no image of the retrieval experiment's test split may reach a visual word vector
    (it would reach the word vectors of every model of Table 6)."""
    section = config["pixie"]
    unknown = [n for n in section["benchmarks"] if n not in config["benchmarks"]]
    if unknown:
        yield f"pixie.benchmarks: {', '.join(unknown)} not in `benchmarks`"
    visual, retrieval = section["visual"], section["retrieval"]
    needs = ["file"] if visual["source"] == "file" else ["dataset", "kind"]
    for key in needs:
        if key not in visual:
            yield f"config pixie.visual.{key}: needed by source {visual['source']}"
    if visual["source"] != "file" and visual.get("dataset") == retrieval["dataset"]:
        test = retrieval["splits"]["test"]
        splits = visual.get("splits") if visual["source"] == "senses" else None
        if splits is None or test in splits:
            yield (
                f"config pixie.visual: the visual words would average test images ({test!r}) of "
                f"the retrieval dataset {retrieval['dataset']!r}; use source senses with splits "
                f"that leave them out, e.g. [{retrieval['splits']['train']}]"
            )


CHECKS: tuple[Callable[[Mapping[str, Any]], Problems], ...] = (
    _downloads,
    _corpora,
    _collell2018,
    _feature_files,
    _pixie,
)


def check_references(config: Mapping[str, Any]) -> None:
    """Raise :class:`InputError` with one line per dangling reference of a validated config
    (defaults filled in), or per missing bring-your-own file (paths relative to the working
    directory)."""
    problems = [problem for check in CHECKS for problem in check(config)]
    if problems:
        raise InputError("\n".join(problems))
