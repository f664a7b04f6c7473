"""The Tux Paint stamps (Debian ``tuxpaint-stamps-default``) as a canonical image table.

Each stamp is a PNG or SVG cut-out with a ``<name>.txt`` whose first line is an English
description. A stamp becomes one row: the image, the *visual word* it depicts with its WordNet
noun synset, its caption, tags and a train/test split.

Stamp names are written by programmers (``tiger_sumatran``, ``coffeecup``, ``lion-2``,
``iso_lorry1``) and captions by people (``A Sumatran tiger.``, ``A cup of coffee.``, ``Say
cheese!``); neither alone names the object reliably. :class:`WordMapper` therefore collects
WordNet noun candidates from both (n-grams, run-together compounds, plurals through WordNet's
morphy) and trusts first a noun the two agree on, then the caption's head noun, then the name
(see :meth:`WordMapper.map`). Every choice must have a sense whose lexicographer file fits the
stamp's top-level folder (``noun.animal`` under ``animals/``, ``noun.food`` under ``food/``);
among those senses, one below a sub-folder's meaning (``fish/``, ``tools/``) wins, then the one
the word names first, then the most frequent.

Stamps that depict no visual word (letters, digits) are left out by the ``exclude`` patterns;
stamps for which no noun is found keep a null word and synset, and a caption noun that WordNet
lacks ("A cep.") is kept as the word with a null synset.
"""

from __future__ import annotations

import fnmatch
import hashlib
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from gensim.parsing.preprocessing import STOPWORDS
from nltk.corpus.reader.wordnet import Synset, WordNetCorpusReader

from crossmodal.core.errors import InputError

IMAGE_SUFFIXES = (".png", ".svg")

# Lexicographer files that fit a top-level stamp folder, as tiers tried in order: a sense from
# the first tier that has one wins, so food/apricot is the fruit (noun.food) before the tree.
CATEGORY_LEXNAMES: dict[str, tuple[frozenset[str], ...]] = {
    "animals": (frozenset({"noun.animal"}),),
    "cartoon": (frozenset({"noun.animal", "noun.person"}),),
    "clothes": (frozenset({"noun.artifact"}),),
    "food": (frozenset({"noun.food"}), frozenset({"noun.plant"})),
    "hobbies": (frozenset({"noun.artifact"}), frozenset({"noun.act"})),
    "household": (frozenset({"noun.artifact"}),),
    "medical": (frozenset({"noun.artifact", "noun.body"}),),
    "military": (frozenset({"noun.artifact", "noun.person"}),),
    "naturalforces": (frozenset({"noun.phenomenon", "noun.event", "noun.process"}),),
    "people": (frozenset({"noun.person", "noun.body"}), frozenset({"noun.artifact"})),
    "plants": (frozenset({"noun.plant"}),),
    "seasonal": (
        frozenset({"noun.artifact", "noun.animal", "noun.food", "noun.plant", "noun.possession"}),
        frozenset({"noun.object", "noun.shape"}),
        frozenset({"noun.person"}),
    ),
    "space": (frozenset({"noun.object"}), frozenset({"noun.artifact", "noun.person"})),
    "sports": (frozenset({"noun.artifact"}),),
    "symbols": (
        frozenset({"noun.artifact", "noun.communication", "noun.possession", "noun.shape"}),
    ),
    "town": (frozenset({"noun.artifact", "noun.location", "noun.communication"}),),
    "vehicles": (frozenset({"noun.artifact"}),),
}

# Proper names in stamp names and captions that stand for a depicted kind: Tux is the Linux
# penguin, Tux Paint's mascot (WordNet's only "tux" is a dinner jacket).
ALIASES: dict[str, str] = {"tux": "penguin"}

# Words of gensim's stop list (the Glasgow list) that are concrete nouns in captions
# ("Fire! Fire!", "A computer mouse", "A mine") and so are content words here.
CONTENT_WORDS_IN_STOPLIST = frozenset(
    {
        "computer",
        "fire",
        "mine",
        "bill",
        "system",
        "top",
        "side",
        "front",
        "back",
        "bottom",
        "can",
        "well",
        "full",
    }
)
STOP_WORDS = frozenset(STOPWORDS) - CONTENT_WORDS_IN_STOPLIST

# Words that open a noun phrase without being part of it.
_DETERMINERS = frozenset(
    {
        "a",
        "an",
        "the",
        "some",
        "two",
        "another",
        "our",
        "your",
        "its",
        "his",
        "her",
        "their",
        "my",
        "very",
        "big",
        "little",
        "small",
        "large",
        "huge",
    }
)
# "X of Y" where Y is the thing shown ("a pair of scissors") ...
_QUANTITIES = frozenset(
    {
        "pair",
        "couple",
        "bunch",
        "cluster",
        "string",
        "head",
        "quarter",
        "slice",
        "piece",
        "plant",
        "baby",
        "loaf",
        "kind",
        "type",
        "sort",
        "set",
    }
)
# Trailing words naming a portion of the thing rather than the thing ("a lemon slice").
_PORTIONS = frozenset({"slice", "piece", "bulb", "core", "kit"})
# File-name words about the drawing, not its subject (``chicken_profile``, ``inukshuk-photo``).
RENDERING_WORDS = frozenset({"photo", "drawing", "outline", "profile", "mirror"})
# File-name words that tell variants of one stamp apart (``stoplight_01_red``, ``pitcher_small``):
# modifiers, never the depicted thing, though WordNet lists most as nouns too.
VARIANT_WORDS = frozenset(
    {
        "red",
        "green",
        "blue",
        "yellow",
        "white",
        "black",
        "brown",
        "pink",
        "purple",
        "grey",
        "gray",
        "silver",
        "golden",
        "small",
        "large",
        "big",
        "little",
        "new",
        "old",
        "open",
        "closed",
        "left",
        "right",
        "mean",
    }
)
_CLAUSE_BREAK = re.compile(r"[.!?;:()\u2014\u2013]|\s-\s")
_WORD = re.compile(r"[a-z0-9]+(?:['\-]+[a-z0-9]+)*")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_NAME_SPLIT = re.compile(r"[_\-\s]+|(?<=[a-z])(?=[0-9])|(?<=[0-9])(?=[a-z])")
_MAX_NGRAM = 4


@dataclass(frozen=True)
class StampFile:
    """One stamp: its image, description file and where it sits below the stamps folder."""

    image_id: str
    path: Path
    caption_path: Path | None


@dataclass(frozen=True)
class WordMatch:
    """The visual word of a stamp, its synset (None when WordNet has no noun for it) and which
    evidence decided it: agree, caption, name, unlisted (a word WordNet lacks), agree_unfit
    (name and caption agree on a sense outside the category's lexnames) or none."""

    word: str | None
    synset: str | None
    source: str


def find_stamps(
    stamps_dir: str | os.PathLike[str], exclude: Sequence[str] = ()
) -> tuple[list[StampFile], dict[str, int]]:
    """List the stamps below ``stamps_dir`` in path order, with counts of what was left out.

    A stamp shipped both as SVG and PNG is one drawing in two formats; the PNG is kept so that
    the two never land on different sides of the train/test split. ``<name>_mirror`` images are
    the hand-drawn mirror views Tux Paint shows when a stamp is flipped, not stamps of their
    own. ``exclude`` holds glob patterns on the image id (path without suffix), e.g.
    ``symbols/alphabets/*`` for letters, which depict no visual word.
    """
    root = Path(stamps_dir)
    if not root.is_dir():
        raise InputError(f"{root}: stamps folder not found (datasets: stamps_dir)")
    by_id: dict[str, list[Path]] = {}
    # os.walk, unlike Path.rglob before Python 3.13, follows symlinked folders: a subset of the
    # stamps assembled from links is a stamps folder too.
    files = (
        Path(top) / name for top, _, names in os.walk(root, followlinks=True) for name in names
    )
    for path in sorted(files):
        if path.suffix.lower() in IMAGE_SUFFIXES and path.is_file():
            image_id = path.relative_to(root).with_suffix("").as_posix()
            by_id.setdefault(image_id, []).append(path)
    if not by_id:
        raise InputError(f"{root}: no PNG or SVG stamps found (datasets: stamps_dir)")
    skipped = {"svg_with_png_twin": 0, "mirror_views": 0, "excluded": 0}
    stamps = []
    for image_id, paths in sorted(by_id.items()):
        if image_id.endswith("_mirror") and image_id[: -len("_mirror")] in by_id:
            skipped["mirror_views"] += len(paths)
            continue
        if any(fnmatch.fnmatchcase(image_id, pattern) for pattern in exclude):
            skipped["excluded"] += len(paths)
            continue
        pngs = [p for p in paths if p.suffix.lower() == ".png"]
        skipped["svg_with_png_twin"] += len(paths) - 1 if pngs else 0
        path = (pngs or paths)[0]
        caption = path.with_suffix(".txt")
        stamps.append(StampFile(image_id, path.resolve(), caption if caption.is_file() else None))
    return stamps, skipped


def read_caption(path: Path | None) -> str | None:
    """The English description: the first line of the stamp's ``.txt`` (the other lines are
    ``<locale>=`` translations), or None when there is no file or the line is empty."""
    if path is None:
        return None
    try:
        with open(path, encoding="utf-8") as handle:
            first = handle.readline().strip()
    except UnicodeDecodeError as err:
        raise InputError(f"{path}: description is not UTF-8 ({err})") from err
    return first or None


def _normalise_text(text: str) -> str:
    """Lower-case with typographic quotes folded, so that "Jack-o’-lantern" and "wizard's" keep
    their apostrophes as WordNet spells them and “Fuji” loses its quotes."""
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    return re.sub(r"[\"\u201c\u201d]", " ", text).lower()


def caption_tags(caption: str | None) -> list[str]:
    """Lower-case content words of a caption in order of first use, stop words and digits
    removed (the caption counterpart of a Flickr photo's tags)."""
    if not caption:
        return []
    tags: list[str] = []
    for token in re.findall(r"[a-z]+", _normalise_text(caption).replace("'s ", " ")):
        if len(token) > 1 and token not in STOP_WORDS and token not in tags:
            tags.append(token)
    return tags


def _name_tokens(image_id: str) -> list[str]:
    """Tokens of a stamp's file name: camelCase, ``_``/``-`` and digit runs split; digits and
    single letters (``t_glove``, ``b_1_king``) dropped; aliases applied."""
    stem = _CAMEL.sub("_", image_id.rsplit("/", 1)[-1])
    tokens = [t for t in _NAME_SPLIT.split(stem.lower()) if t]
    return [ALIASES.get(t, t) for t in tokens if len(t) > 1 and not t.isdigit()]


@dataclass(frozen=True)
class _Caption:
    """Noun candidates of a caption: ``head`` names its opening noun phrase (n-grams ending at
    the head first, longest first), ``modifiers`` are the other nouns of that phrase, ``other``
    every other noun in the caption; ``plain`` says the caption is a noun phrase ("A red
    apple.", "Circus tent."), not a remark ("Say cheese!")."""

    head: list[str]
    modifiers: list[str]
    other: list[str]
    plain: bool
    head_token: str | None


class WordMapper:
    """Maps a stamp (file name, caption, folders) to a WordNet noun and its visual word."""

    def __init__(self, wordnet: WordNetCorpusReader) -> None:
        self.wn = wordnet
        self._cache: dict[str, list[Synset]] = {}

    def nouns(self, phrase: str) -> list[Synset]:
        """Noun synsets of a word or ``_``-joined phrase (plurals reduced by WordNet's morphy)."""
        if phrase not in self._cache:
            self._cache[phrase] = self.wn.synsets(phrase, pos="n") if phrase else []
        return self._cache[phrase]

    @staticmethod
    def _usable(token: str) -> bool:
        return len(token) > 1 and not token.isdigit() and token not in STOP_WORDS

    def _ngrams(self, tokens: Sequence[str], head_only: bool = False) -> list[str]:
        """WordNet nouns among the contiguous n-grams of ``tokens``, longest first and, among
        equals, rightmost first (English compounds are head-final); with ``head_only`` just
        those ending at the last token. A stop word alone is no candidate, inside a compound
        it is ("whole note", "roll call")."""
        n_tok = len(tokens)
        spans = [
            (i, j)
            for j in range(n_tok, 0, -1)
            for i in range(max(0, j - _MAX_NGRAM), j)
            if not head_only or j == n_tok
        ]
        spans.sort(key=lambda span: (span[0] - span[1], -span[1]))
        found: list[str] = []
        for i, j in spans:
            if j - i == 1 and not self._usable(tokens[i]):
                continue
            if tokens[i] in _DETERMINERS or tokens[i].isdigit() or tokens[j - 1].isdigit():
                continue
            for phrase in self._spellings(tokens[i:j]):
                if phrase not in found and self.nouns(phrase):
                    found.append(phrase)
                    break
        return found

    @staticmethod
    def _spellings(tokens: Sequence[str]) -> list[str]:
        """WordNet writes compounds open, closed or hyphenated ("pig tails" is ``pigtail``)."""
        if len(tokens) != 2:
            return ["_".join(tokens)]
        return ["_".join(tokens), "".join(tokens), "-".join(tokens)]

    def _compound(self, token: str) -> list[str]:
        """Noun readings of a run-together name token: itself if WordNet knows it, else
        ``coffeecup`` -> ``coffee_cup`` when WordNet lists the compound, else its longest noun
        tail after a word of three letters or more (``pinkhome`` -> ``home``; ``uturn`` has
        no ``urn``)."""
        if self.nouns(token):
            return [token]
        found = [
            f"{token[:i]}_{token[i:]}"
            for i in range(2, len(token) - 1)
            if self.nouns(f"{token[:i]}_{token[i:]}")
        ]
        if found:
            return found
        for i in range(3, len(token) - 2):
            if self.nouns(token[i:]) and self.wn.synsets(token[:i]):
                return [token[i:]]
        return []

    def name_candidates(self, image_id: str) -> tuple[list[str], set[str]]:
        """Noun candidates from the file name and the bag of its tokens.

        A word inside a longer candidate is not one of its own (``final-roll-call`` is a roll
        call, not a roll); tokens WordNet does not know are tried as run-together compounds.
        """
        tokens = [t for t in _name_tokens(image_id) if t not in RENDERING_WORDS]
        found = self._ngrams(tokens)
        candidates = [
            phrase
            for phrase in found
            if phrase not in VARIANT_WORDS
            and not any(f"_{phrase}_" in f"_{longer}_" and longer != phrase for longer in found)
        ]
        bag = set(tokens)
        for token in tokens:
            if self.nouns(token):
                continue
            for compound in self._compound(token):
                bag.update(compound.split("_"))
                if compound not in candidates:
                    candidates.append(compound)
        return candidates, bag - VARIANT_WORDS

    def _ends_phrase(self, tokens: Sequence[str], k: int) -> bool:
        """Whether ``tokens[k]`` is a verb form ending the noun phrase before it: a participle
        after a word that is no adjective ("spider playing", but "red headed cep"), unless it
        makes a compound with the next word ("sailing ship"); an inflected verb after a noun
        or name ("light means", "tender carries"); a verb with no noun reading."""
        token, previous = tokens[k], tokens[k - 1]
        base = self.wn.morphy(token, "v")
        if base is None:
            return False
        following = tokens[k + 1] if k + 1 < len(tokens) else None
        if token.endswith(("ing", "ed")):
            if self._is_adjective(previous):
                return False
            return following is None or not self.nouns(f"{token}_{following}")
        if token.endswith("s") and base != token and following is not None:
            return bool(self.nouns(previous)) or not self.wn.synsets(previous)
        return not self.nouns(token)

    def _noun_phrase(self, tokens: Sequence[str]) -> tuple[int, int]:
        """Bounds ``(start, end)`` of the opening noun phrase of a clause: determiners and stop
        words before it skipped, cut at the next stop word or at a verb form after a noun."""
        start = 0
        while start < len(tokens) and (
            tokens[start] in _DETERMINERS or not self._usable(tokens[start])
        ):
            if start + 1 < len(tokens) and self.nouns(f"{tokens[start]}_{tokens[start + 1]}"):
                break  # "whole note"
            start += 1
        end = start
        while end < len(tokens):
            token = tokens[end]
            if token in ("and", "or") and end > start and self._is_adjective(tokens[end - 1]):
                end += 1  # "a red and white anemone flower"
                continue
            if token in STOP_WORDS and not (
                end + 1 < len(tokens) and self.nouns(f"{token}_{tokens[end + 1]}")
            ):
                break
            if end > start and self._ends_phrase(tokens, end):
                break
            end += 1
        return start, end

    def _is_adjective(self, token: str) -> bool:
        return bool(self.wn.synsets(token, "a") or self.wn.synsets(token, "s"))

    def _strip_portion(self, phrase: list[str]) -> list[str]:
        """Drop a trailing portion word that is not part of a compound: "lemon slice" shows a
        lemon, "drum kit" drums; "light bulb" stays."""
        if len(phrase) > 1 and phrase[-1] in _PORTIONS:
            if not any("_" in p for p in self._ngrams(phrase, head_only=True)):
                return phrase[:-1]
        return phrase

    def caption_candidates(self, caption: str | None) -> _Caption:
        """Noun candidates of a caption (see :class:`_Caption`).

        In "X of Y" both phrases name the object: Y first after a quantity ("a pair of
        scissors"), X first otherwise ("a cup of coffee", "the house of the hunter").
        """
        text = _normalise_text(caption or "")
        clauses = [self._tokens(c) for c in _CLAUSE_BREAK.split(text)]
        clauses = [[ALIASES.get(t, t) for t in c] for c in clauses if c]
        if not clauses:
            return _Caption([], [], [], False, None)
        tokens = clauses[0]
        start, end = self._noun_phrase(tokens)
        phrase = self._strip_portion(tokens[start:end])
        head_token = phrase[-1] if phrase else None
        head = self._ngrams(phrase, head_only=True)
        within = self._ngrams(phrase)
        if tokens[end : end + 1] == ["of"]:
            c_start, c_end = self._noun_phrase(tokens[end + 1 :])
            complement = tokens[end + 1 + c_start : end + 1 + c_end]
            of_head = self._ngrams(complement, head_only=True)
            if phrase[-1:] and phrase[-1] in _QUANTITIES:
                head, within = of_head, head + within
                head_token = complement[-1] if complement else head_token
            else:
                within = of_head + within
        if start == 0 and tokens[end : end + 1] == ["the"]:  # "Eddie the Helicopter."
            a_start, a_end = self._noun_phrase(tokens[end + 1 :])
            head = self._ngrams(tokens[end + 1 + a_start : end + 1 + a_end], head_only=True) + head
        for clause in clauses:  # "a 5 cent piece called a nickel": the nickel
            if "called" in clause:
                after = clause[clause.index("called") + 1 :]
                n_start, n_end = self._noun_phrase(after)
                head = self._ngrams(after[n_start:n_end], head_only=True) + head
        head = list(dict.fromkeys(h for h in head if not self._misleading_compound(h, head)))
        modifiers = [p for p in dict.fromkeys(within) if p not in head]
        other = [p for c in map(self._ngrams, clauses) for p in c if p not in head + modifiers]
        plain = self._is_plain(caption or "", tokens, start, head_token)
        return _Caption(head, modifiers, modifiers + list(dict.fromkeys(other)), plain, head_token)

    @staticmethod
    def _is_plain(caption: str, tokens: Sequence[str], start: int, head: str | None) -> bool:
        """A caption that opens with an article, or with its noun phrase ("Circus tent.");
        not an exclamation ("Boom!!!") and not a proper name ("Tux Airways.")."""
        names = {w.lower() for w in re.findall(r"[A-Za-z][\w'-]*", caption)[1:] if w[0].isupper()}
        if head is None or head in names:
            return False
        return tokens[0] in _DETERMINERS or (start == 0 and not re.match(r"^\W*\w+\W*!", caption))

    @staticmethod
    def _tokens(text: str) -> list[str]:
        """Word tokens with hyphens and apostrophes kept inside words, possessive 's dropped."""
        return [t[:-2] if t.endswith("'s") else t for t in _WORD.findall(text)]

    def folder_hints(self, image_id: str, category: str) -> frozenset[Synset]:
        """Synsets named by the folders between the category and the file (``fish``, ``tools``,
        ``birds``, ``chess``): a sense below one of them, or in its topic ("king" in chess),
        is the one the folder means."""
        hints: set[Synset] = set()
        for folder in image_id.lower().split("/")[1:-1]:
            synsets = self.nouns(folder) if folder != "cartoon" else []
            if any(self._fits_synset(s, category) for s in synsets):
                hints.add(self.pick_sense(synsets, category))
            else:  # no sense fits: any may be meant ("chess", a game, for chess pieces)
                hints.update(synsets)
        return frozenset(hints)

    @staticmethod
    def _ancestors(synset: Synset) -> set[Synset]:
        return {synset, *synset.closure(lambda s: s.hypernyms() + s.instance_hypernyms())}

    def pick_sense(
        self,
        synsets: Iterable[Synset],
        category: str,
        hints: frozenset[Synset] = frozenset(),
        phrase: str = "",
    ) -> Synset:
        """The sense whose lexname fits ``category`` (tier by tier), then which lies below a
        folder hint, then which ``phrase`` names first ("Christmas tree" is first the
        decorated tree, a Christmas bush only by another name), then the most frequent
        (WordNet lists senses by frequency)."""
        tiers = CATEGORY_LEXNAMES.get(category, ())
        synsets = list(synsets)
        lemmas = {name.lower() for s in synsets for name in s.lemma_names()}
        # "glasses" names spectacles by itself; only a form WordNet lacks is reduced ("cherries")
        forms = {phrase} if phrase in lemmas else set(self.wn._morphy(phrase, "n"))

        def key(item: tuple[int, Synset]) -> tuple[int, bool, bool, int]:
            rank, synset = item
            tier = next((i for i, t in enumerate(tiers) if synset.lexname() in t), len(tiers))
            related = self._ancestors(synset) | set(synset.topic_domains())
            below_hint = bool(hints) and not hints.isdisjoint(related)
            named = synset.lemma_names()[0].lower() in forms
            return tier, not below_hint, not named, rank

        return min(enumerate(synsets), key=key)[1]

    def _misleading_compound(self, phrase: str, head: Sequence[str]) -> bool:
        """Whether a colour or size + noun ``phrase`` that WordNet lists is not a kind of its
        noun: "a black cat" is no fisher (WordNet's "black cat"), "a yellow flag" no iris; "a red
        flag" is a flag, and "hard hat" or "half dollar" are not read as modifiers at all."""
        for shorter in head:
            if phrase.endswith(f"_{shorter}"):
                dropped = phrase[: -len(shorter) - 1].split("_")
                if all(word in VARIANT_WORDS for word in dropped):
                    kinds = set(self.nouns(shorter))
                    return all(kinds.isdisjoint(self._ancestors(s)) for s in self.nouns(phrase))
        return False

    def _drops_modifiers(self, longer: str, shorter: str) -> bool:
        """Whether ``shorter`` is ``longer`` without leading adjectives ("yellow flag" ->
        "flag"), or an unrelated phrase; not so for "teddy bear" -> "bear"."""
        if not longer.endswith(f"_{shorter}"):
            return True
        dropped = longer[: -len(shorter) - 1].split("_")
        return all(self._is_adjective(w) for w in dropped)

    @staticmethod
    def _fits_synset(synset: Synset, category: str) -> bool:
        return any(synset.lexname() in tier for tier in CATEGORY_LEXNAMES.get(category, ()))

    def _fits(self, phrase: str, category: str) -> bool:
        return any(self._fits_synset(s, category) for s in self.nouns(phrase))

    def _word_form(self, phrase: str, synset: Synset) -> str:
        """The lemma of ``synset`` that ``phrase`` spells (``blue_jeans`` -> ``blue_jean``,
        ``glasses`` stays ``glasses``), lower-case."""
        lemmas = {name.lower() for name in synset.lemma_names()}
        # NLTK's public morphy() returns only the first base form; _morphy() returns them all.
        for form in [phrase, *self.wn._morphy(phrase, "n")]:
            if form.lower() in lemmas:
                return form.lower()
        return phrase.lower()

    def map(self, image_id: str, caption: str | None, category: str) -> WordMatch:
        """The visual word and synset of one stamp.

        In order: a caption head the name agrees with (same synset, or the name holds the head
        word); a noun modifying that head that the name agrees with and that is a kind of the
        head ("An avocado fruit."); the head of a plain caption; another caption noun the name
        agrees with; a noun of the name; a caption head WordNet does not know (a word without
        synset); a caption head the name agrees with although no sense fits the category ("A
        skull." under seasonal/). Each step but the last two needs a sense that fits.
        """
        hints = self.folder_hints(image_id, category)
        from_name, bag = self.name_candidates(image_id)
        cap = self.caption_candidates(caption)
        name_synsets = {s for phrase in from_name for s in self.nouns(phrase)}

        def match(phrase: str, source: str, among: Sequence[Synset] = ()) -> WordMatch:
            synset = self.pick_sense(among or self.nouns(phrase), category, hints, phrase)
            return WordMatch(self._word_form(phrase, synset), synset.name(), source)

        def agreeing(phrase: str, need_fit: bool) -> WordMatch | None:
            source = "agree" if need_fit else "agree_unfit"
            shared = [s for s in self.nouns(phrase) if s in name_synsets]
            if shared:
                fitting = [s for s in shared if self._fits_synset(s, category)]
                if fitting or not need_fit:  # "A pink dream house." in pinkhome: no family
                    return match(phrase, source, fitting or shared)
                if self._fits(phrase, category):
                    return match(phrase, source)
            elif phrase.split("_")[-1] in bag:
                longer = [n for n in from_name if n.endswith(f"_{phrase}")]
                longer = [n for n in longer if not self._misleading_compound(n, [phrase])]
                chosen = longer[0] if longer else phrase
                if not need_fit or self._fits(chosen, category):  # "Teddy bear." is no bear
                    return match(chosen, source)
            return None

        for phrase in cap.head:
            if found := agreeing(phrase, need_fit=True):
                return found
        for phrase in cap.modifiers:  # "An avocado fruit.": the avocado, a kind of fruit
            kinds = {s for head in cap.head[:1] for s in self.nouns(head)}
            below = any(not kinds.isdisjoint(self._ancestors(s)) for s in self.nouns(phrase))
            if below and (found := agreeing(phrase, need_fit=True)):
                return found
        for k, phrase in enumerate(cap.head if cap.plain else ()):
            if k and not self._drops_modifiers(cap.head[k - 1], phrase):
                break  # "Teddy bear." is no bear
            if self._fits(phrase, category):  # "A yellow flag." is a flag, not a yellow iris
                return match(phrase, "caption")
        for phrase in cap.other:
            if found := agreeing(phrase, need_fit=True):
                return found
        for phrase in from_name:
            if self._fits(phrase, category):
                return match(phrase, "name")
        token = cap.head_token
        if token and token.isalpha() and not self.wn.synsets(token):
            return WordMatch(token, None, "unlisted")
        for phrase in cap.head:
            if found := agreeing(phrase, need_fit=False):
                return found
        return WordMatch(None, None, "none")


def stable_split(
    image_ids: Sequence[str], categories: Sequence[str], test_fraction: float, seed: int
) -> list[str]:
    """ "train"/"test" for each image: within each category, the ``round(test_fraction * n)``
    images with the smallest seeded hash of their id are test.

    Hashing ids rather than drawing from one random stream keeps an image's side fixed when
    other categories gain or lose stamps, and needs no class to have two members (scikit-learn's
    stratified splitters do).
    """
    if not 0 < test_fraction < 1:
        raise InputError(f"test_fraction: expected a number in (0, 1), got {test_fraction}")
    frame = pd.DataFrame({"image_id": image_ids, "category": categories})
    frame["key"] = [
        hashlib.blake2b(f"{seed}:{i}".encode(), digest_size=8).hexdigest() for i in image_ids
    ]
    rank = frame.groupby("category")["key"].rank(method="first")
    size = frame.groupby("category")["key"].transform("size")
    n_test = (size * test_fraction).round()
    return ["test" if r <= n else "train" for r, n in zip(rank, n_test, strict=True)]


def build_image_table(
    stamps_dir: str | os.PathLike[str],
    wordnet: WordNetCorpusReader,
    test_fraction: float,
    seed: int,
    exclude: Sequence[str] = (),
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The canonical image table of the stamps and a one-row-per-count summary of it."""
    stamps, skipped = find_stamps(stamps_dir, exclude)
    mapper = WordMapper(wordnet)
    rows = []
    for stamp in stamps:
        caption = read_caption(stamp.caption_path)
        category = stamp.image_id.split("/", 1)[0]
        match = mapper.map(stamp.image_id, caption, category)
        rows.append(
            {
                "image_id": stamp.image_id,
                "path": str(stamp.path),
                "word": match.word,
                "synset": match.synset,
                "category": category,
                "caption": caption,
                "tags": caption_tags(caption),
                "split": None,
                "source": match.source,
            }
        )
    table = pd.DataFrame(rows)
    table["split"] = stable_split(table["image_id"], table["category"], test_fraction, seed)
    summary = summary_counts(table, skipped)
    table = table.drop(columns="source").astype(
        {
            c: "string"
            for c in ("image_id", "path", "word", "synset", "category", "caption", "split")
        }
    )
    return table, summary


def summary_counts(table: pd.DataFrame, skipped: dict[str, int]) -> pd.DataFrame:
    """Counts describing an image table (and what was left out of it) as a two-column frame."""
    counts = {
        "images": len(table),
        "images_with_word": int(table["word"].notna().sum()),
        "images_with_synset": int(table["synset"].notna().sum()),
        "images_without_caption": int(table["caption"].isna().sum()),
        "distinct_words": int(table["word"].nunique()),
        "distinct_words_with_synset": int(table.loc[table["synset"].notna(), "word"].nunique()),
        "distinct_synsets": int(table["synset"].nunique()),
        "categories": int(table["category"].nunique()),
        "test_images": int((table["split"] == "test").sum()),
    }
    for source, n in table["source"].value_counts().sort_index().items():
        counts[f"word_from_{source}"] = int(n)
    counts.update({f"skipped_{k}": v for k, v in skipped.items()})
    return pd.DataFrame({"count": list(counts.keys()), "value": list(counts.values())})
