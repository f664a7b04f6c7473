"""WordNet 3.0 through NLTK's reader, from NLTK's own data when a user has it, else from Debian's
``wordnet-base`` + ``wordnet-sense-index`` dictionary.

Debian ships the dictionary files NLTK reads (``index.*``, ``data.*``, ``*.exc``, ``index.sense``)
but not ``lexnames``, the table of the 45 lexicographer files that NLTK loads first; we write it
from the published list (WordNet's lexnames(5WN) manual page) into a folder laid out as an NLTK
data dir, so both sources give the same ``WordNetCorpusReader``.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Literal

from nltk.corpus.reader.wordnet import Synset, WordNetCorpusReader

from crossmodal.core.errors import InputError

# (name, syntactic category) in file-number order; from lexnames(5WN) of WordNet 3.0.
# Category numbers: 1 noun, 2 verb, 3 adjective, 4 adverb.
LEXNAMES: tuple[tuple[str, int], ...] = (
    ("adj.all", 3), ("adj.pert", 3), ("adv.all", 4), ("noun.Tops", 1), ("noun.act", 1),
    ("noun.animal", 1), ("noun.artifact", 1), ("noun.attribute", 1), ("noun.body", 1),
    ("noun.cognition", 1), ("noun.communication", 1), ("noun.event", 1), ("noun.feeling", 1),
    ("noun.food", 1), ("noun.group", 1), ("noun.location", 1), ("noun.motive", 1),
    ("noun.object", 1), ("noun.person", 1), ("noun.phenomenon", 1), ("noun.plant", 1),
    ("noun.possession", 1), ("noun.process", 1), ("noun.quantity", 1), ("noun.relation", 1),
    ("noun.shape", 1), ("noun.state", 1), ("noun.substance", 1), ("noun.time", 1),
    ("verb.body", 2), ("verb.change", 2), ("verb.cognition", 2), ("verb.communication", 2),
    ("verb.competition", 2), ("verb.consumption", 2), ("verb.contact", 2), ("verb.creation", 2),
    ("verb.emotion", 2), ("verb.motion", 2), ("verb.perception", 2), ("verb.possession", 2),
    ("verb.social", 2), ("verb.stative", 2), ("verb.weather", 2), ("adj.ppl", 3),
)  # fmt: skip

# The dictionary files NLTK's reader opens.
DICT_FILES: tuple[str, ...] = tuple(
    f"{kind}.{pos}" for kind in ("index", "data") for pos in ("noun", "verb", "adj", "adv")
) + ("noun.exc", "verb.exc", "adj.exc", "adv.exc", "index.sense")


def lexnames_text() -> str:
    """The ``lexnames`` file as WordNet's own distribution writes it."""
    return "".join(f"{i:02d}\t{name}\t{cat}\n" for i, (name, cat) in enumerate(LEXNAMES))


def find_nltk_wordnet(nltk_data: str) -> Path | None:
    """The folder of NLTK's own WordNet, or None when there is none.

    ``nltk_data`` is a data dir to look in, or ``auto`` for NLTK's search path; a zipped corpus
    (as ``nltk.download`` leaves it) is not usable as a folder and counts as absent.
    """
    import nltk.data

    roots = nltk.data.path if nltk_data == "auto" else [nltk_data]
    for root in roots:
        candidate = Path(root) / "corpora" / "wordnet"
        if (candidate / "lexnames").is_file() and (candidate / "data.noun").is_file():
            return candidate
    return None


def prepare_wordnet(
    nltk_data: str, dict_dir: str | os.PathLike[str], out_dir: str | os.PathLike[str]
) -> str:
    """Fill ``out_dir`` with a WordNet folder NLTK can read; return which source was used.

    The folder is assembled under a temporary name and renamed into place, so an interrupted
    run never leaves a partial dictionary behind.
    """
    out_dir = Path(out_dir)
    source_dir = find_nltk_wordnet(nltk_data)
    source = f"nltk:{source_dir}" if source_dir else f"debian:{dict_dir}"
    if source_dir is None:
        source_dir = Path(dict_dir)
        missing = [name for name in DICT_FILES if not (source_dir / name).is_file()]
        if missing:
            raise InputError(
                f"{source_dir}: no WordNet dictionary (missing {', '.join(missing)}); install the "
                "Debian packages wordnet-base and wordnet-sense-index or set wordnet.nltk_data"
            )
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=out_dir.parent))
    try:
        for name in DICT_FILES:
            if (source_dir / name).is_file():
                shutil.copyfile(source_dir / name, tmp / name)
        lexnames = source_dir / "lexnames"
        if lexnames.is_file():
            shutil.copyfile(lexnames, tmp / "lexnames")
        else:
            (tmp / "lexnames").write_text(lexnames_text(), encoding="ascii")
        (tmp / "SOURCE").write_text(source + "\n", encoding="utf-8")
        if out_dir.exists():
            shutil.rmtree(out_dir)
        os.replace(tmp, out_dir)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return source


class _EnglishWordNet(WordNetCorpusReader):
    """NLTK's reader without the Open Multilingual WordNet version mapping.

    On start-up NLTK maps the opened WordNet onto the one installed as NLTK's ``wordnet`` corpus,
    for OMW lookups; with Debian's dictionary there may be no such corpus, and for English alone
    the mapping is not needed.
    """

    def map_wn(self, version: str = "wordnet") -> None:  # noqa: ARG002 - NLTK's signature
        return None

    def synset_from_pos_and_offset(self, pos: str, offset: int) -> Synset:
        """NLTK's synset, with its relations in a fixed order (by part of speech and offset).

        NLTK keeps a synset's pointers (hyponyms, hypernyms, ...) in sets of (pos, offset)
        tuples and lists them in set order, which follows Python's per-process string hashing:
        ``hyponyms()`` came out in another order in every run, and so did the demo corpus built
        from it and everything trained on that corpus. Sorted pointers make every relation list
        the same in every process (lemma relations are lists in file order already). Every NLTK
        lookup (``synset``, ``synsets``, relations) builds its synsets through this method.
        """
        synset = super().synset_from_pos_and_offset(pos, offset)
        pointers = synset._pointers
        for symbol, targets in pointers.items():
            if isinstance(targets, set):  # a cached synset is already sorted
                pointers[symbol] = sorted(targets)
        return synset


def load_wordnet(wordnet_dir: str | os.PathLike[str]) -> WordNetCorpusReader:
    """Open a folder made by :func:`prepare_wordnet` with NLTK's reader (English only).

    NLTK only reads corpora below a folder on ``nltk.data.path``, so the folder is added there.
    """
    import nltk.data

    wordnet_dir = Path(wordnet_dir).resolve()
    if not (wordnet_dir / "lexnames").is_file():
        raise InputError(f"{wordnet_dir}: not a prepared WordNet folder (no lexnames file)")
    if str(wordnet_dir) not in nltk.data.path:
        nltk.data.path.append(str(wordnet_dir))
    with warnings.catch_warnings():
        # Without the Open Multilingual WordNet NLTK warns that other languages are unavailable.
        warnings.simplefilter("ignore", UserWarning)
        return _EnglishWordNet(str(wordnet_dir), None)


#: The two directions in which backfill walks WordNet, each with its instance relation (an
#: instance such as a named river sits under its class by instance_hypernym, not hypernym).
_RELATIONS: dict[str, Callable[[Synset], list[Synset]]] = {
    "hyponyms": lambda s: s.hyponyms() + s.instance_hyponyms(),
    "hypernyms": lambda s: s.hypernyms() + s.instance_hypernyms(),
}


def relation_levels(
    start: Sequence[Synset], relation: Literal["hyponyms", "hypernyms"], max_depth: int
) -> list[list[str]]:
    """Names of the synsets ``relation`` reaches from ``start``, by level (1: direct), each
    listed once at its shallowest level and never if it is in ``start``, each level sorted: the
    order in which per-word backfill takes their images, the same in every run."""
    related = _RELATIONS[relation]
    levels: list[list[str]] = []
    seen = {s.name() for s in start}
    frontier = list(start)
    for _ in range(max_depth):
        reached = {r for s in frontier for r in related(s) if r.name() not in seen}
        if not reached:
            break
        seen.update(r.name() for r in reached)
        frontier = sorted(reached, key=Synset.name)
        levels.append([r.name() for r in frontier])
    return levels
