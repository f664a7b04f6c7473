"""The word-similarity benchmarks full.yaml downloads, rebuilt byte for byte as their pinned URLs
serve them, from the checked copies in ``../shared/data/wordsim`` (not miniatures: the real
files, which are small).

``../shared/data/wordsim/SOURCES.md`` says how each ``*.tsv`` there was made from its source: a
header ``word1<TAB>word2<TAB>score`` added, separators changed to TAB, ``\\r`` removed, a header
the source had dropped, only the three columns kept, words and scores copied exactly, same row
order. Undoing exactly that gives the source files:

- mfaruqui/eval-word-vectors (``EN-*.txt``): TAB-separated, no header, three columns (its
  SimLex-999 copy keeps only the SimLex999 score, its SimVerb-3500 copy only the score);
  ``EN-WS-353-ALL.txt`` has CRLF line ends, ``EN-SimVerb-3500.txt`` CRLF and no final newline,
  ``EN-MTurk-287.txt`` no final newline, the others LF with a final newline;
- mrmechko/simcross ``MEN_dataset_natural_form_full``: space-separated, LF, with the header line
  ``word1 word2 score`` that copy added;
- wangshaonan ``semsim.txt`` / ``vissim.txt``: TAB-separated, no header, LF.

full.yaml's SHA-256 and size pins were computed from files rebuilt this way (its comment on the
benchmark downloads), and each rebuilt file's git blob id equals the one SOURCES.md gives for the
file at the pinned commit; the test checks the pins.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from miniature_files import served_file, write_bytes
from project_paths import SHARED

#: The checked copies (SOURCES.md beside them).
WORDSIM_DIR = SHARED / "data" / "wordsim"


@dataclass(frozen=True)
class Layout:
    """How a source file lays out the rows of its ``.tsv`` copy."""

    copy: str
    separator: str = "\t"
    eol: str = "\n"
    final_newline: bool = True
    header: str | None = None


#: Download key of full.yaml -> the copy it is rebuilt from and the source's layout.
LAYOUTS: dict[str, Layout] = {
    "mc30": Layout("mc30.tsv"),
    "rg65": Layout("rg65.tsv"),
    "ws353": Layout("ws353.tsv", eol="\r\n"),
    "ws353rel": Layout("ws353_rel.tsv"),
    "ws353sim": Layout("ws353_sim.tsv"),
    "simlex999": Layout("simlex999.tsv"),
    "mturk287": Layout("mturk287.tsv", final_newline=False),
    "simverb3500": Layout("simverb3500.tsv", eol="\r\n", final_newline=False),
    "men": Layout("men.tsv", separator=" ", header="word1 word2 score"),
    "semsim": Layout("semsim.tsv"),
    "vissim": Layout("vissim.tsv"),
}


def rebuild(key: str) -> bytes:
    """The bytes the pinned URL of download ``key`` serves, rebuilt from its checked copy."""
    layout = LAYOUTS[key]
    path = WORDSIM_DIR / layout.copy
    if not path.is_file():
        raise FileNotFoundError(
            f"{path}: checked benchmark copy not found (../shared/data/wordsim)"
        )
    lines = path.read_text(encoding="utf-8").split("\n")
    if lines[0] != "word1\tword2\tscore":
        raise ValueError(f"{path}: expected the header word1<TAB>word2<TAB>score")
    rows = [layout.separator.join(line.split("\t")) for line in lines[1:] if line]
    if layout.header is not None:
        rows.insert(0, layout.header)
    text = layout.eol.join(rows) + (layout.eol if layout.final_newline else "")
    return text.encode("utf-8")


def write_wordsim(served: Path, resources: Path, urls: Mapping[str, str]) -> None:
    """Write every benchmark where the rehearsal server serves its URL; nothing is placed by
    hand (``resources`` is unused)."""
    for key in LAYOUTS:
        write_bytes(served_file(served, urls[key]), rebuild(key))
