"""What the miniature public files share: the real Tux Paint stamps as photo-like JPEGs with
their visual words and Flickr-like tags, and WordNet 3.0 (Debian's dictionary files).

The stamps stand in for the Flickr photos of NUS-WIDE and Flickr30K because they are real
images with real English descriptions on this machine. A stamp's *word* and *synset* are the
ones the project's stamp table gives it (``crossmodal.data.tuxpaint``, the demo's visual words),
so that the miniature datasets, the miniature text and the demo agree on what a stamp depicts.

Conversion is deterministic (fixed size, interpolation and JPEG quality), so the same images
come out of every run.
"""

from __future__ import annotations

import atexit
import functools
import re
import shutil
import tempfile
from pathlib import Path

import cv2
import pandas as pd
from nltk.corpus.reader.wordnet import WordNetCorpusReader
from project_paths import STAMPS

from crossmodal.data.images import load_image
from crossmodal.data.tuxpaint.table import build_image_table
from crossmodal.data.wordnet import load_wordnet, prepare_wordnet

#: Debian's WordNet 3.0 dictionary (packages wordnet-base, wordnet-sense-index).
WORDNET_DIR = Path("/usr/share/wordnet")
#: Stamps that depict no visual word, left out as the demo configuration leaves them out.
EXCLUDE = ("symbols/alphabets/*", "symbols/math/*")
#: Longer side of a converted stamp: Flickr's "medium" photo size, the size of the NUS-WIDE and
#: Flickr30K images as their authors give them out.
PHOTO_SIDE = 500
#: JPEG quality of the converted stamps (libjpeg's scale; Flickr serves roughly this).
JPEG_QUALITY = 90


@functools.cache
def _wordnet_folder() -> Path:
    """A WordNet folder NLTK can read, prepared once per process from Debian's dictionary."""
    root = Path(tempfile.mkdtemp(prefix="miniature-wordnet-"))
    atexit.register(shutil.rmtree, root, True)
    prepare_wordnet(str(root / "no_nltk_data"), WORDNET_DIR, root / "wordnet")
    return root / "wordnet"


@functools.cache
def wordnet() -> WordNetCorpusReader:
    """NLTK's reader on WordNet 3.0 (the same dictionary the project reads), opened once."""
    return load_wordnet(_wordnet_folder())


@functools.cache
def stamp_table() -> pd.DataFrame:
    """The stamps as the project's stamp table lists them (one row per stamp, PNG preferred to
    its SVG twin), letters and digits left out: image_id, path, word, synset, caption, missing
    values as None."""
    table, _ = build_image_table(STAMPS, wordnet(), 0.2, 0, exclude=EXCLUDE)
    table = table[["image_id", "path", "word", "synset", "caption"]].astype(object)
    return table.where(table.notna(), None)


def jpeg_bytes(path: str | Path) -> bytes:
    """A stamp as a photo: composited on white, longer side ``PHOTO_SIDE``, baseline JPEG."""
    image = load_image(path, PHOTO_SIDE)
    ok, encoded = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
    if not ok:
        raise RuntimeError(f"{path}: OpenCV could not encode the stamp as JPEG")
    return encoded.tobytes()


#: Words no one tags a photo with: articles, pronouns, auxiliaries, prepositions, conjunctions.
STOP_WORDS = frozenset(
    "a an the and or but if of in on at to for with by from into onto as is are was were be "
    "been being it its this that these those there here you your we our us they their he him "
    "his she her do does did can will would should could may might must not no so than then "
    "too very some any all each every other another one what which who whom whose when where "
    "how why also only just about over under up down out off again such own same let lets".split()
)


def words(text: str) -> list[str]:
    """Lower-case words of a text: runs of letters and digits, apostrophes and possessive "'s"
    dropped (``wizard's`` -> ``wizard``, ``jack-o'-lantern`` -> ``jack``, ``o``, ``lantern``)."""
    text = text.lower().replace("\u2019", "'").replace("'s ", " ").replace("'", "")
    return re.findall(r"[a-z0-9]+", text)


def name_words(image_id: str) -> list[str]:
    """Words of a stamp's file name: split at ``_``, ``-``, camelCase and between letters and
    digits (``heron_greatblue_flying``, ``eddieCopter``, ``f22_raptor``)."""
    stem = re.sub(r"(?<=[a-z])(?=[A-Z])", "_", image_id.rsplit("/", 1)[-1])
    parts = re.split(r"[_\-\s]+|(?<=[a-z])(?=[0-9])|(?<=[0-9])(?=[a-z])", stem.lower())
    return [p for p in parts if p]


def photo_tags(caption: str | None, image_id: str) -> list[str]:
    """A stamp's tags as a Flickr user might give them: the words of its description, then of
    its file name, each once, without stop words and single letters."""
    found = words(caption or "") + name_words(image_id)
    return [w for w in dict.fromkeys(found) if len(w) > 1 and w not in STOP_WORDS]
