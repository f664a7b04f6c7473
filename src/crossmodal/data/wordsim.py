"""Word-similarity benchmark files in their published layouts, read into one table
(word1, word2, score).

Each benchmark has been redistributed in several layouts: the original release, mfaruqui's
``eval-word-vectors`` copies (tab-separated, no header), gensim's test copies (``#`` comments),
header-bearing conversions. A format names a benchmark's *content* (which column holds the
score, how words are written) and accepts the layouts it is known in; anything else is an
:class:`InputError` naming the file and line.

Words are lower-cased and multi-word entries joined with "_" as WordNet writes them. Every pair
is kept, in file order. A pair that occurs twice (the same two words, in either order) is kept
too: every published benchmark has some (WS-353 rates "money"-"cash" twice, SimLex-999 has
"sly"-"strange" and "strange"-"sly", the sense-free SemSim copies repeat 39 pairs), and dropping
or averaging them would change the benchmark; they are reported, or refused with
``duplicates="error"``.
"""

from __future__ import annotations

import math
import os
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from gensim.test.utils import datapath

from crossmodal.core.errors import InputError


@dataclass(frozen=True)
class Layout:
    """How a benchmark's lines are laid out.

    ``score_column`` maps a line's number of fields to the field holding the score (original
    releases carry extra columns: SimLex-999 has ten, SimVerb-3500 five). ``header`` is
    ``none``, ``optional`` (recognised by ``HEADER_WORDS``) or ``required``.
    """

    score_column: dict[int, int]
    header: str = "optional"
    pair_separator: str | None = None
    strip: re.Pattern[str] | None = None


# Field names seen in the header lines of the published files.
HEADER_WORDS = frozenset(
    {"word1", "word2", "word 1", "word 2", "score", "human (mean)", "simlex999", "pos",
     "wordpair", "semantic", "visual", "sim", "similarity", "relatedness", "mean", "rating"}
)  # fmt: skip

# MEN's lemma form marks each word with its part of speech: "sun-n".
_POS_SUFFIX = re.compile(r"-[nvja]$")
# McRae concepts in SemSim/VisSim carry senses: "bat_(animal)".
_SENSE_TAG = re.compile(r"_\(.*\)$")

FORMATS: dict[str, Layout] = {
    # Generic: word1 word2 score, without / after a header line.
    "pairs": Layout({3: 2}, header="none"),
    "pairs_header": Layout({3: 2}, header="required"),
    # WordSim-353 all/rel/sim: combined.csv ("Word 1,Word 2,Human (mean)"), gensim's
    # wordsim353.tsv (# comments), the relatedness/similarity splits (tab, no header).
    "ws353": Layout({3: 2}),
    # SimLex-999.txt: word1 word2 POS SimLex999 conc(w1) conc(w2) concQ Assoc(USF) SimAssoc333
    # SD(SimLex); copies keep only the SimLex999 column.
    "simlex": Layout({3: 2, 10: 3}),
    # MEN natural form "sun sunlight 50.000000"; lemma form "sun-n sunlight-n 50.000000".
    "men": Layout({3: 2}, strip=_POS_SUFFIX),
    "rg65": Layout({3: 2}),
    "mc30": Layout({3: 2}),
    "mturk287": Layout({3: 2}),
    # SimVerb-3500.txt: word1 word2 POS score relation.
    "simverb": Layout({3: 2, 5: 3}),
    # Silberer & Lapata's SemSim.txt: "WORDPAIR SEMANTIC VISUAL" with pairs written w1#w2;
    # copies: word1 word2 score, one file per rating.
    "semsim": Layout({3: 2, 4: 2}, pair_separator="#", strip=_SENSE_TAG),
    "vissim": Layout({3: 2, 4: 3}, pair_separator="#", strip=_SENSE_TAG),
}


@dataclass
class Benchmark:
    """A parsed benchmark: its pairs and the repeated pairs found (``file:line`` notes)."""

    pairs: pd.DataFrame
    duplicates: list[str]


def normalise_word(word: str, strip: re.Pattern[str] | None = None) -> str:
    """Lower-case, surrounding space removed, inner spaces joined with "_" as WordNet does."""
    word = word.strip().lower()
    if strip is not None:
        word = strip.sub("", word)
    return "_".join(word.split())


def _fields(line: str) -> list[str]:
    """Split a line at tabs, else commas or semicolons, else runs of spaces."""
    for separator in ("\t", ",", ";"):
        if separator in line:
            return [f.strip() for f in line.split(separator)]
    return line.split()


def _is_header(fields: list[str]) -> bool:
    return all(_parse_float(f) is None for f in fields) and any(
        f.strip().lower() in HEADER_WORDS for f in fields
    )


def _parse_float(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def parse_benchmark(
    text: str, fmt: str, source: str = "<benchmark>", duplicates: str = "keep"
) -> Benchmark:
    """Parse the text of a benchmark file laid out as ``fmt`` (a key of ``FORMATS``).

    ``source`` names the file in messages. Blank lines and lines starting with ``#`` are
    skipped; a header line is allowed where the format allows one. Any other line must hold two
    words and a finite score where the format expects them, else :class:`InputError` names the
    file and line. ``duplicates`` is ``keep`` (repeated pairs kept and listed) or ``error``.
    """
    if fmt not in FORMATS:
        raise InputError(
            f"{source}: unknown benchmark format {fmt!r}; expected one of {', '.join(FORMATS)}"
        )
    if duplicates not in ("keep", "error"):
        raise InputError(f"benchmarks: duplicates must be keep or error, got {duplicates!r}")
    layout = FORMATS[fmt]
    rows: list[tuple[str, str, float]] = []
    seen: dict[tuple[str, str], int] = {}
    repeated: list[str] = []
    header_seen = False
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        fields = _fields(line)
        if layout.pair_separator and layout.pair_separator in fields[0]:
            fields = [*fields[0].split(layout.pair_separator, 1), *fields[1:]]
        if not rows and not header_seen and layout.header != "none" and _is_header(fields):
            header_seen = True
            continue
        if layout.header == "required" and not header_seen:
            raise InputError(f"{source}:{number}: expected a header line, got {line[:60]!r}")
        if len(fields) not in layout.score_column:
            expected = " or ".join(map(str, sorted(layout.score_column)))
            raise InputError(
                f"{source}:{number}: expected {expected} fields ({fmt} format), "
                f"got {len(fields)}: {line[:60]!r}"
            )
        word1, word2 = (normalise_word(w, layout.strip) for w in fields[:2])
        score = _parse_float(fields[layout.score_column[len(fields)]])
        if not word1 or not word2:
            raise InputError(f"{source}:{number}: empty word in {line[:60]!r}")
        if score is None:
            raise InputError(
                f"{source}:{number}: score {fields[layout.score_column[len(fields)]]!r} "
                "is not a finite number"
            )
        key = (min(word1, word2), max(word1, word2))
        if key in seen:
            note = f"{source}:{number}: pair {word1}-{word2} repeats line {seen[key]}"
            if duplicates == "error":
                raise InputError(note)
            repeated.append(note)
        else:
            seen[key] = number
        rows.append((word1, word2, score))
    if not rows:
        raise InputError(f"{source}: no word pairs found ({fmt} format)")
    pairs = pd.DataFrame(rows, columns=["word1", "word2", "score"]).astype(
        {"word1": "string", "word2": "string", "score": "float64"}
    )
    return Benchmark(pairs, repeated)


def read_benchmark_text(
    source: str, file: str | None = None, path: str | os.PathLike[str] | None = None
) -> tuple[str, str]:
    """The text of a configured benchmark file and a name for it in messages.

    ``source`` is ``gensim`` (``file`` in gensim's test data), ``download`` (the downloaded file
    at ``path``; in a zip, its member ``file``) or ``file`` (the local file at ``path``).
    """
    if source == "gensim":
        if not file:
            raise InputError("benchmarks: source gensim needs a `file` name")
        location = Path(datapath(file))
    elif source in ("download", "file"):
        if path is None:
            raise InputError(f"benchmarks: source {source} needs the file's path")
        location = Path(path)
    else:
        raise InputError(
            f"benchmarks: unknown source {source!r}; expected gensim, download or file"
        )
    if not location.is_file():
        raise InputError(f"{location}: benchmark file not found")
    if source == "download" and zipfile.is_zipfile(location):
        return _zip_member_text(location, file)
    return _decode(location.read_bytes()), str(location)


def read_benchmark(
    path: str | os.PathLike[str], fmt: str = "pairs", duplicates: str = "keep"
) -> Benchmark:
    """A local benchmark file laid out as ``fmt``, read and parsed as the workflow's
    ``build_benchmark`` rule reads a configured ``source: file`` (:func:`read_benchmark_text`,
    :func:`parse_benchmark`)."""
    text, name = read_benchmark_text("file", path=path)
    return parse_benchmark(text, fmt, name, duplicates)


def _zip_member_text(archive_path: Path, member: str | None) -> tuple[str, str]:
    with zipfile.ZipFile(archive_path) as archive:
        names = [n for n in archive.namelist() if not n.endswith("/")]
        matches = [n for n in names if member and (n == member or n.endswith(f"/{member}"))]
        if member is None and len(names) == 1:
            matches = names
        if len(matches) != 1:
            raise InputError(
                f"{archive_path}: expected one member named {member!r} "
                f"(benchmarks: file), found {len(matches)} among {', '.join(names[:8])}"
            )
        name = f"{archive_path}:{matches[0]}"
        return _decode(archive.read(matches[0])), name


def _decode(data: bytes) -> str:
    """UTF-8 text (a BOM dropped), else Latin-1, which some older benchmark files use."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")
