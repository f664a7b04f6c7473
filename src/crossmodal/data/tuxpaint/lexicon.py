"""What WordNet says about the words of a stamp: which words and phrases are nouns (cached, as
every stamp asks about the same words), which n-grams of a token run are nouns, how a
run-together name splits, and whether a colour or size compound is a kind of its noun.

The name and caption readers and the sense chooser ask WordNet only through a :class:`Lexicon`.
"""

from __future__ import annotations

from collections.abc import Sequence

from nltk.corpus.reader.wordnet import Synset, WordNetCorpusReader

from crossmodal.data.tuxpaint.wordlists import DETERMINERS, STOP_WORDS, VARIANT_WORDS

# Longest run of tokens looked up as one noun phrase.
MAX_NGRAM = 4


class Lexicon:
    """WordNet lookups on words and ``_``-joined phrases, noun synsets cached per phrase."""

    def __init__(self, wordnet: WordNetCorpusReader) -> None:
        self.wn = wordnet
        self._cache: dict[str, list[Synset]] = {}

    def nouns(self, phrase: str) -> list[Synset]:
        """Noun synsets of a word or ``_``-joined phrase (plurals reduced by WordNet's morphy)."""
        if phrase not in self._cache:
            self._cache[phrase] = self.wn.synsets(phrase, pos="n") if phrase else []
        return self._cache[phrase]

    def knows(self, word: str) -> bool:
        """Whether WordNet lists ``word`` in any part of speech."""
        return bool(self.wn.synsets(word))

    def is_adjective(self, token: str) -> bool:
        """Whether WordNet lists ``token`` as an adjective, satellites ("red", "headed") too."""
        return bool(self.wn.synsets(token, "a") or self.wn.synsets(token, "s"))

    def verb_base(self, token: str) -> str | None:
        """The verb ``token`` is a form of, or None when it is no verb form."""
        return self.wn.morphy(token, "v")

    def noun_base_forms(self, phrase: str) -> list[str]:
        """Every noun base form of ``phrase`` (NLTK's public morphy() returns only the first;
        _morphy() returns them all)."""
        return self.wn._morphy(phrase, "n")

    @staticmethod
    def usable(token: str) -> bool:
        """Whether a token alone can be a noun candidate: no single letter, digit or stop word."""
        return len(token) > 1 and not token.isdigit() and token not in STOP_WORDS

    @staticmethod
    def ancestors(synset: Synset) -> set[Synset]:
        """The synset and all its hypernyms, instance hypernyms included."""
        return {synset, *synset.closure(lambda s: s.hypernyms() + s.instance_hypernyms())}

    def ngrams(self, tokens: Sequence[str], head_only: bool = False) -> list[str]:
        """WordNet nouns among the contiguous n-grams of ``tokens``, longest first and, among
        equals, rightmost first (English compounds are head-final); with ``head_only`` just
        those ending at the last token. A stop word alone is no candidate, inside a compound
        it is ("whole note", "roll call")."""
        n_tok = len(tokens)
        spans = [
            (i, j)
            for j in range(n_tok, 0, -1)
            for i in range(max(0, j - MAX_NGRAM), j)
            if not head_only or j == n_tok
        ]
        spans.sort(key=lambda span: (span[0] - span[1], -span[1]))
        found: list[str] = []
        for i, j in spans:
            if j - i == 1 and not self.usable(tokens[i]):
                continue
            if tokens[i] in DETERMINERS or tokens[i].isdigit() or tokens[j - 1].isdigit():
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

    def compound(self, token: str) -> list[str]:
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
            if self.nouns(token[i:]) and self.knows(token[:i]):
                return [token[i:]]
        return []

    def misleading_compound(self, phrase: str, head: Sequence[str]) -> bool:
        """Whether a colour or size + noun ``phrase`` that WordNet lists is not a kind of its
        noun: "a black cat" is no fisher (WordNet's "black cat"), "a yellow flag" no iris; "a red
        flag" is a flag, and "hard hat" or "half dollar" are not read as modifiers at all."""
        for shorter in head:
            if phrase.endswith(f"_{shorter}"):
                dropped = phrase[: -len(shorter) - 1].split("_")
                if all(word in VARIANT_WORDS for word in dropped):
                    kinds = set(self.nouns(shorter))
                    return all(kinds.isdisjoint(self.ancestors(s)) for s in self.nouns(phrase))
        return False

    def drops_modifiers(self, longer: str, shorter: str) -> bool:
        """Whether ``shorter`` is ``longer`` without leading adjectives ("yellow flag" ->
        "flag"), or an unrelated phrase; not so for "teddy bear" -> "bear"."""
        if not longer.endswith(f"_{shorter}"):
            return True
        dropped = longer[: -len(shorter) - 1].split("_")
        return all(self.is_adjective(w) for w in dropped)
