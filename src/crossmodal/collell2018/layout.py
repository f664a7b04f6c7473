"""Which files each Collell & Moens setting reads and writes, as tables built once from the
config section ``collell2018:`` (validated, defaults filled in).

The workflow's rules name a setting by separate wildcards - ``{dataset}``, ``{vis}__{lang}``
(the visual and the text embedding of a pair), ``{direction}``, ``{mapping}`` - and Experiment
2's embeddings by an id; the input functions look these up here instead of taking names apart
again, and the tables give the wildcard constraints the configured names.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from crossmodal.core.errors import InputError

Section = Mapping[str, Any]
Files = dict[str, str]


def analysed(section: Section) -> list[str]:
    """Names of the datasets to analyse: ``run``, or all of ``datasets``."""
    return list(section["run"]) or list(section["datasets"])


def text_id(spec: str) -> str:
    """The name of text vectors ``<corpus>/<model>`` (results/text/) in file names:
    ``<corpus>-<model>``, one path segment."""
    return "-".join(posixpath.split(spec))


def _feature_files(entry: Section, modality: str, role: str) -> dict[str, Files]:
    """Name -> files of one modality of a ``features`` dataset, keyed as rule
    pair_collell2018_data names its inputs (``file`` as ``role``, else ``<role>_<key>``)."""
    return {
        name: {role if key == "file" else f"{role}_{key}": path for key, path in files.items()}
        for name, files in entry[modality].items()
    }


def dataset_pairs(section: Section, dataset: str) -> dict[tuple[str, str], Files]:
    """(visual name, text name) -> named input files of the pair's data, for every embedding
    pair of a dataset in config order (visual outer, text inner)."""
    entry = section["datasets"][dataset]
    split: Files = {}
    if entry["source"] == "words":
        visual = {
            kind: {
                "visual": f"results/words/{dataset}/{kind}.npy",
                "visual_words": f"results/words/{dataset}/{kind}.words.parquet",
            }
            for kind in entry["visual"]
        }
        text = {
            text_id(spec): {
                "text": f"results/text/{spec}.npy",
                "text_vocab": f"results/text/{spec}.vocab.parquet",
            }
            for spec in entry["text"]
        }
    else:
        visual = _feature_files(entry, "visual", "image")
        text = _feature_files(entry, "text", "text")
        if "split_file" in entry:
            split = {"split_file": entry["split_file"]}
    return {(v, t): {**visual[v], **text[t], **split} for v in visual for t in text}


def pairs(section: Section) -> dict[str, dict[tuple[str, str], Files]]:
    """dataset_pairs() of every configured dataset (analysed or not: a target path may ask
    for any)."""
    return {dataset: dataset_pairs(section, dataset) for dataset in section["datasets"]}


def pair_specs(section: Section) -> dict[str, dict[str, Any]]:
    """Dataset -> how its items are paired and split (its name, source, folds, test_fraction,
    label_column, header, zero_rows, seed; None where not configured)."""
    keys = ("source", "folds", "test_fraction", "label_column", "header", "zero_rows", "seed")
    return {
        dataset: {"dataset": dataset, **{key: entry.get(key) for key in keys}}
        for dataset, entry in section["datasets"].items()
    }


def mapping_names(section: Section) -> list[str]:
    """Table 1 and supplement mapping variants, in that order, without repeats."""
    return list(dict.fromkeys([*section["table1_mappings"], *section["supplement_mappings"]]))


def mapping_configs(section: Section, names: Iterable[str]) -> dict[str, dict[str, Any]]:
    """The full training config of mapping variants ``names``, by name: ``training`` defaults
    overridden by the variant's entry."""
    return {name: {**section["training"], **section["mappings"][name]} for name in names}


def analysed_settings(section: Section, mappings: Sequence[str]) -> list[dict[str, str]]:
    """Every analysed setting of ``mappings`` - dataset, visual and text embedding, direction,
    mapping - in config order, without repeats."""
    found: list[dict[str, str]] = []
    for dataset in analysed(section):
        for visual, text in dataset_pairs(section, dataset):
            for direction in section["directions"]:
                for mapping in mappings:
                    setting = {
                        "dataset": dataset,
                        "visual": visual,
                        "text": text,
                        "direction": direction,
                        "mapping": mapping,
                    }
                    if setting not in found:
                        found.append(setting)
    return found


def pair_files(
    pairs: Mapping[str, Mapping[tuple[str, str], Files]], dataset: str, visual: str, text: str
) -> Files:
    """The input files of pair (``visual``, ``text``) of ``dataset`` in ``pairs()``. A target
    path may join embeddings of different datasets: that is refused, naming the pairs there
    are."""
    known = pairs.get(dataset, {})
    if (visual, text) not in known:
        configured = ", ".join(f"{v}__{t}" for v, t in known) or "none"
        raise InputError(
            f"{visual}__{text} is not an embedding pair of collell2018.datasets.{dataset} "
            f"(configured: {configured})"
        )
    return known[visual, text]


def setting_file(setting: Mapping[str, str], name: str) -> str:
    """File ``name`` of one setting's folder."""
    return (
        f"results/collell2018/{setting['dataset']}/{setting['visual']}__{setting['text']}/"
        f"{setting['direction']}/{setting['mapping']}/{name}"
    )


# label_column and header of an embedding read as NPY + word table (not a feature file).
_NO_LAYOUT: dict[str, Any] = {"label_column": None, "header": None}


def untrained_embeddings(section: Section) -> dict[str, dict[str, Any]]:
    """Word embeddings of Experiment 2, id -> ``inputs`` (named files), ``label_column`` and
    ``header`` (whether a CSV starts with a label column, with a header line; None for NPY +
    word table): the visual and text
    vectors of every analysed ``words`` dataset (ids ``<dataset>-<kind>``, ``<corpus>-<model>``)
    and the single-file modalities of ``features`` datasets whose labels are words (ids
    ``<dataset>-<name>``)."""
    embeddings: dict[str, dict[str, Any]] = {}
    for dataset in analysed(section):
        entry = section["datasets"][dataset]
        if entry["source"] == "words":
            for kind in entry["visual"]:
                base = f"results/words/{dataset}/{kind}"
                inputs = {"vectors": f"{base}.npy", "words": f"{base}.words.parquet"}
                embeddings[f"{dataset}-{kind}"] = {"inputs": inputs, **_NO_LAYOUT}
            for spec in entry["text"]:
                base = f"results/text/{spec}"
                inputs = {"vectors": f"{base}.npy", "words": f"{base}.vocab.parquet"}
                embeddings[text_id(spec)] = {"inputs": inputs, **_NO_LAYOUT}
        elif entry["word_labels"]:
            for modality in ("visual", "text"):
                for name, files in entry[modality].items():
                    if "file" in files:
                        inputs = {"vectors": files["file"]}
                        if "ids" in files:
                            inputs["ids"] = files["ids"]
                        embeddings[f"{dataset}-{name}"] = {
                            "inputs": inputs,
                            "label_column": entry["label_column"],
                            "header": entry["header"],
                        }
    return embeddings


def tuxpaint_word_datasets(section: Section, datasets: Mapping[str, Any]) -> list[str]:
    """Analysed ``words`` datasets whose images are Tux Paint stamps (config ``datasets``):
    the report summarises their data (released feature files have no such summary)."""
    return [
        dataset
        for dataset in analysed(section)
        if section["datasets"][dataset]["source"] == "words"
        and datasets.get(dataset, {}).get("source") == "tuxpaint"
    ]
