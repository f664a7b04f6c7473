"""Miniatures of Collell & Moens's (ACL 2018) released feature CSVs for the full-config
rehearsal, in the released layout, with numbers that are NOT Collell's: only the layout is
theirs, the values are derived from the Tux Paint stamps and real English text (rules below).

Layout, from gcollell/neural_cross_modal_maps (commit 5a47223, the one full.yaml pins; HEAD
21f5b8d the same unless stated) and the paper:

* ``code/read_data.py`` reads every file the same way: each line stripped and split on ","; the
  first field is the label, the rest float features. No header, no quoting. IAPR TC-12 and Wiki
  come as ``<dataset>/TR_vis_<visual>.csv``, ``TS_vis_<visual>.csv``, ``TR_lang_<text>.csv``,
  ``TS_lang_<text>.csv``; visual and text files of a split are paired row by row (the text
  file's labels are not even read).
* ``training_data/iaprtc/TS_vis_vgg128.csv`` and ``TS_lang_biGRU.csv`` (in that commit): 1,962
  lines each, LF line ends with a final newline, ASCII; label = the item's concept ids, 0-based
  integers (0..290), ascending, separated by single spaces, 1 to 12 per item, the same labels
  in the same order in both files; 128 resp. 64 features; every number is Python's ``repr``
  of the value rounded to 6 significant digits (``0.0``, ``1.50114``, ``10.0791``,
  ``9.9e-05``, ``-1.2254``). The TR_* files are Git LFS objects absent from the snapshot and
  are written like the TS_* ones.
* Dimensions (paper, Sect. 4.1.3 and Supplement Sect. 2): VGG-128 128, ResNet 2,048, biGRU 64
  ("the 64-d averaged GRU hidden states"), GloVe and word2vec 300.
* ImageNet: one row per concept word, label = the word. At 5a47223 ``read_data.py`` reads
  ``imagenet/vis_<visual>_<text>.csv`` and ``imagenet/txt_<visual>_<text>.csv``; HEAD (commit
  "File names for ImageNet dataset corrected") reads ``imagenet/vis_<visual>.csv`` and
  ``imagenet/lang_<visual>.csv`` (``lang_`` + the *visual* name, likely meant as the text
  name). full.yaml's names (``vis_vgg128``, ``vis_resnet``, ``lang_glove``, ``lang_word2vec``)
  follow HEAD with the text name; all four files hold the same words in the same order, as the
  code pairs them by position. Number format as the IAPR files (not checkable).
* Wiki: one class of ten per item (paper: Pereira et al. 2014's 2,866 sections), written as a
  single 0-based id like IAPR's; its biGRU is 64-d as IAPR's (same network, Supplement).

Values (seeded, same bytes every run):

* Items are stamps (crossmodal.data.tuxpaint's table: word, WordNet synset, caption, split).
  IAPR TC-12 and Wiki: the first 150 training and 60 test stamps (the table's split) in the
  order of a salted hash of their id, written in id order. Wiki draws only from the ten
  largest top-level stamp folders, its ten classes (id = alphabetical rank).
* IAPR concepts: the stamp's folders (``animals``, ``animals/birds``), its word and the first
  lemma of its WordNet hypernyms up to three levels; ids = rank in the sorted concept names.
* ImageNet words: the 150 single-word, lower-case stamp words with a WordNet noun sense that
  occur in the most word-similarity benchmarks (ties alphabetical), rows alphabetical.
* Visual vectors: the stamp on white at 16 x 16 pixels (768 values, centred), times a fixed
  Gaussian projection (seed per kind), then ReLU; an ImageNet word's vector is the mean over
  all its stamps.
* Text: two gensim Word2Vec models (300-d, one worker, seeded) on gensim's Lee corpora, the
  stamps' captions and the WordNet glosses and examples of the stamp words: skip-gram for
  ``lang_word2vec``, CBOW for ``lang_glove`` (a stand-in: GloVe is not trained here). biGRU
  vectors: the mean skip-gram vector of an item's text (caption and gloss; Wiki adds the
  examples and the hypernyms' glosses) times a fixed Gaussian 300 x 64 projection.
"""

from __future__ import annotations

import functools
import hashlib
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import cv2
import numpy as np
import pandas as pd
from gensim.models import Word2Vec
from gensim.test.utils import datapath
from gensim.utils import simple_preprocess
from miniature_files import served_file
from nltk.corpus.reader.wordnet import WordNetCorpusReader
from project_paths import SHARED, STAMPS

from crossmodal.data.images import load_image
from crossmodal.data.tuxpaint.table import build_image_table
from crossmodal.data.wordnet import load_wordnet, prepare_wordnet

#: Feature dimensions of the released files (paper, Sect. 4.1.3 and Supplement).
DIMS = {"vgg128": 128, "resnet": 2048, "biGRU": 64, "glove": 300, "word2vec": 300}
#: Seeds of the fixed projections, one per feature kind.
SEEDS = {"vgg128": 128, "resnet": 2048, "biGRU": 64}
WORDS, TRAIN, TEST = 150, 150, 60
WIKI_CLASSES = 10
PIXELS = 16
#: The benchmark files whose words the ImageNet miniature prefers (the project's copies).
WORDSIM = SHARED / "data/wordsim"
EXCLUDE = ("symbols/alphabets/*", "symbols/math/*")  # as config.yaml: letters and digits
#: The IAPR TC-12 download keys of full.yaml -> (split, file kind).
IAPR_DOWNLOADS = {
    "collell_iaprtc_tr_vis_vgg128": ("TR", "vis_vgg128"),
    "collell_iaprtc_tr_lang_bigru": ("TR", "lang_biGRU"),
    "collell_iaprtc_ts_vis_vgg128": ("TS", "vis_vgg128"),
    "collell_iaprtc_ts_lang_bigru": ("TS", "lang_biGRU"),
}


def number(value: float) -> str:
    """A feature as the released files write it: repr of the value at 6 significant digits."""
    return repr(float(f"{value:.6g}"))


def write_features(path: Path, labels: Sequence[str], matrix: np.ndarray) -> None:
    """Label, then the features, comma-separated; LF line ends, final newline, no header."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = (
        f"{label},{','.join(number(v) for v in row)}\n"
        for label, row in zip(labels, matrix, strict=True)
    )
    path.write_bytes("".join(lines).encode("ascii"))


def stamp_table(wordnet: WordNetCorpusReader) -> pd.DataFrame:
    """Stamps with a caption, a word and a WordNet synset, by image id."""
    table, _ = build_image_table(STAMPS, wordnet, 0.2, 0, EXCLUDE)
    keep = table["caption"].notna() & table["word"].notna() & table["synset"].notna()
    return table[keep].sort_values("image_id").reset_index(drop=True)


def salted_order(ids: Iterable[str], salt: str) -> list[str]:
    """Ids in the order of a salted hash: a fixed pseudo-random draw per dataset."""
    return sorted(ids, key=lambda i: hashlib.blake2b(f"{salt}:{i}".encode()).hexdigest())


def pick_items(table: pd.DataFrame, salt: str) -> dict[str, pd.DataFrame]:
    """TR and TS items of a dataset: the first TRAIN / TEST stamps of each split in the salted
    order, each written in image-id order."""
    picked = {}
    for split, name, size in (("train", "TR", TRAIN), ("test", "TS", TEST)):
        part = table[table["split"] == split]
        ids = set(salted_order(part["image_id"], salt)[:size])
        picked[name] = part[part["image_id"].isin(ids)].reset_index(drop=True)
    return picked


@functools.cache
def stamp_pixels(path: str) -> np.ndarray:
    """A stamp on white, 16 x 16, as 768 values in [-0.5, 0.5]; cached, as the datasets share
    stamps and rasterising an SVG is the slowest step here."""
    small = cv2.resize(load_image(path, 64), (PIXELS, PIXELS), interpolation=cv2.INTER_AREA)
    return small.reshape(-1).astype(np.float64) / 255.0 - 0.5


def pixels(paths: Iterable[str]) -> np.ndarray:
    """:func:`stamp_pixels` of each image, one row each."""
    return np.array([stamp_pixels(path) for path in paths])


def projection(kind: str, rows: int) -> np.ndarray:
    """The fixed Gaussian projection of a feature kind, scaled to keep unit variance."""
    rng = np.random.default_rng(SEEDS[kind])
    return rng.standard_normal((rows, DIMS[kind])) / np.sqrt(rows)


def visual(pix: np.ndarray, kind: str) -> np.ndarray:
    """Image vectors of ``kind`` (vgg128, resnet): ReLU of the projected pixels."""
    return np.maximum(pix @ projection(kind, pix.shape[1]), 0.0)


def gloss(wordnet: WordNetCorpusReader, synset: str, examples: bool, depth: int) -> str:
    """A synset's definition (and examples), then its hypernyms' definitions ``depth`` levels
    up: the WordNet text an item or a word brings along."""
    node = wordnet.synset(synset)
    parts = [node.definition(), *(node.examples() if examples else [])]
    for _ in range(depth):
        hypernyms = node.hypernyms()
        if not hypernyms:
            break
        node = hypernyms[0]
        parts.append(node.definition())
    return ". ".join(parts)


def item_texts(
    wordnet: WordNetCorpusReader, items: pd.DataFrame, examples: bool, depth: int
) -> list[str]:
    """Each item's text: its caption, then its :func:`gloss` (a sentence for IAPR TC-12, a
    paragraph for Wiki)."""
    pairs = zip(items["caption"], items["synset"], strict=True)
    return [f"{caption} {gloss(wordnet, synset, examples, depth)}" for caption, synset in pairs]


def text_models(table: pd.DataFrame, wordnet: WordNetCorpusReader) -> dict[str, Word2Vec]:
    """Skip-gram (word2vec) and CBOW (GloVe's stand-in) on the Lee corpora, the captions and
    the glosses of every stamp synset; one worker thread, so the vectors are the same every
    run."""
    sentences = [
        simple_preprocess(line)
        for name in ("lee_background.cor", "lee.cor")
        for line in Path(datapath(name)).read_text(encoding="latin-1").splitlines()
    ]
    sentences += [simple_preprocess(text) for text in table["caption"]]
    for word, synset in sorted(set(zip(table["word"], table["synset"], strict=True))):
        sentences.append([word, *simple_preprocess(gloss(wordnet, synset, True, 0))])
    return {
        name: Word2Vec(
            [s for s in sentences if s],
            vector_size=DIMS["word2vec"],
            sg=sg,
            window=5,
            min_count=1,
            epochs=5,
            seed=seed,
            workers=1,
        )
        for name, sg, seed in (("word2vec", 1, 0), ("glove", 0, 1))
    }


def text_vectors(model: Word2Vec, texts: Iterable[str]) -> np.ndarray:
    """The mean word vector of each text (its words the model knows)."""
    rows = []
    for text in texts:
        words = [w for w in simple_preprocess(text) if w in model.wv]
        rows.append(np.mean([model.wv[w] for w in words], axis=0, dtype=np.float64))
    return np.array(rows)


def benchmark_words() -> dict[str, int]:
    """How many word-similarity benchmarks (../shared/data/wordsim) each word occurs in; the
    folder is required, as the choice of words (and so every byte written) depends on it."""
    if not WORDSIM.is_dir():
        raise FileNotFoundError(f"{WORDSIM}: the word-similarity benchmarks are not there")
    counts: dict[str, int] = {}
    for path in sorted(WORDSIM.glob("*.tsv")):
        pairs = pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False)
        for word in set(pairs.iloc[:, 0].str.lower()) | set(pairs.iloc[:, 1].str.lower()):
            counts[word] = counts.get(word, 0) + 1
    return counts


def imagenet_words(table: pd.DataFrame) -> list[str]:
    """The ImageNet miniature's concept words (see the module docstring), alphabetical."""
    words = sorted({w for w in table["word"] if w.isascii() and w.isalpha() and w.islower()})
    counts = benchmark_words()
    ranked = sorted(words, key=lambda w: (-counts.get(w, 0), w))
    return sorted(ranked[:WORDS])


def iaprtc_labels(items: pd.DataFrame, wordnet: WordNetCorpusReader) -> list[str]:
    """Space-separated ascending concept ids per item (see the module docstring)."""
    concepts = []
    columns = (items["image_id"], items["word"], items["synset"])
    for image_id, word, synset in zip(*columns, strict=True):
        folders = image_id.split("/")[:-1]
        names = {"/".join(folders[: i + 1]) for i in range(len(folders))} | {word}
        node = wordnet.synset(synset)
        for _ in range(3):
            if not node.hypernyms():
                break
            node = node.hypernyms()[0]
            names.add(node.lemma_names()[0].lower())
        concepts.append(names)
    ids = {name: i for i, name in enumerate(sorted(set().union(*concepts)))}
    return [" ".join(str(i) for i in sorted(ids[n] for n in names)) for names in concepts]


def write_split_files(
    paths: Mapping[str, Path],
    items: dict[str, pd.DataFrame],
    labels: dict[str, list[str]],
    texts: dict[str, list[str]],
    word2vec: Word2Vec,
) -> None:
    """A dataset's TR/TS files: ``paths`` maps ``<TR|TS>_<kind>`` to where each goes."""
    for split, part in items.items():
        pix = pixels(part["path"])
        matrices = {
            "vis_vgg128": visual(pix, "vgg128"),
            "vis_resnet": visual(pix, "resnet"),
            "lang_biGRU": text_vectors(word2vec, texts[split])
            @ projection("biGRU", DIMS["word2vec"]),
        }
        for kind, matrix in matrices.items():
            if f"{split}_{kind}" in paths:
                write_features(paths[f"{split}_{kind}"], labels[split], matrix)


def write_imagenet(
    folder: Path, table: pd.DataFrame, models: dict[str, Word2Vec], words: list[str]
) -> None:
    """The four ImageNet files: one row per word, the same words in the same order."""
    stamps = table[table["word"].isin(words)]
    pix = pixels(stamps["path"])
    for kind in ("vgg128", "resnet"):
        per_image = visual(pix, kind)
        matrix = np.array([per_image[(stamps["word"] == w).to_numpy()].mean(axis=0) for w in words])
        write_features(folder / f"vis_{kind}.csv", words, matrix)
    for kind, model in models.items():
        matrix = np.array([model.wv[w] for w in words], dtype=np.float64)
        write_features(folder / f"lang_{kind}.csv", words, matrix)


def write_iaprtc(
    served: Path,
    release: Path,
    urls: Mapping[str, str],
    table: pd.DataFrame,
    text: tuple[WordNetCorpusReader, Word2Vec],
) -> None:
    """IAPR TC-12: VGG-128 and biGRU files at their download places, ResNet ones placed."""
    wordnet, word2vec = text
    items = pick_items(table, "iaprtc")
    paths = {
        f"{split}_{kind}": served_file(served, urls[key])
        for key, (split, kind) in IAPR_DOWNLOADS.items()
    }
    paths |= {f"{s}_vis_resnet": release / f"iaprtc/{s}_vis_resnet.csv" for s in items}
    labels = iaprtc_labels(pd.concat(items.values(), ignore_index=True), wordnet)
    split_labels = {"TR": labels[: len(items["TR"])], "TS": labels[len(items["TR"]) :]}
    texts = {s: item_texts(wordnet, part, False, 0) for s, part in items.items()}
    write_split_files(paths, items, split_labels, texts, word2vec)


def write_wiki(
    release: Path, table: pd.DataFrame, text: tuple[WordNetCorpusReader, Word2Vec]
) -> None:
    """Wiki: items of the ten largest stamp folders, one class id each; every file placed."""
    wordnet, word2vec = text
    sizes = table["category"].value_counts()
    classes = sorted(sorted(sizes.index, key=lambda c: (-sizes[c], c))[:WIKI_CLASSES])
    items = pick_items(table[table["category"].isin(classes)], "wiki")
    paths = {
        f"{s}_{kind}": release / f"wiki/{s}_{kind}.csv"
        for s in items
        for kind in ("vis_vgg128", "vis_resnet", "lang_biGRU")
    }
    labels = {s: [str(classes.index(c)) for c in part["category"]] for s, part in items.items()}
    texts = {s: item_texts(wordnet, part, True, 3) for s, part in items.items()}
    write_split_files(paths, items, labels, texts, word2vec)


def write_collell(served: Path, resources: Path, urls: Mapping[str, str]) -> None:
    """Write every Collell release file full.yaml reads: the IAPR TC-12 VGG-128 and biGRU
    files at their download URLs' places under ``served``, the rest at the paths full.yaml
    names under ``resources`` (``resources/collell2018_release/...``)."""
    release = resources / "collell2018_release"
    with tempfile.TemporaryDirectory() as scratch:
        prepare_wordnet("auto", "/usr/share/wordnet", Path(scratch) / "wordnet")
        wordnet = load_wordnet(Path(scratch) / "wordnet")
        table = stamp_table(wordnet)
        models = text_models(table, wordnet)
        write_imagenet(release / "imagenet", table, models, imagenet_words(table))
        write_iaprtc(served, release, urls, table, (wordnet, models["word2vec"]))
        write_wiki(release, table, (wordnet, models["word2vec"]))
