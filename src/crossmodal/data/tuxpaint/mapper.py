"""The visual word of a stamp: the evidence of its file name, caption and folders, and the order
in which that evidence decides (:meth:`WordMapper.map`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from nltk.corpus.reader.wordnet import Synset, WordNetCorpusReader

from crossmodal.data.tuxpaint.lexicon import Lexicon
from crossmodal.data.tuxpaint.names import name_candidates
from crossmodal.data.tuxpaint.phrases import CaptionNouns, caption_candidates
from crossmodal.data.tuxpaint.senses import fits, fits_synset, folder_hints, pick_sense, word_form


@dataclass(frozen=True)
class WordMatch:
    """The visual word of a stamp, its synset (None when WordNet has no noun for it) and which
    evidence decided it: agree, caption, name, unlisted (a word WordNet lacks), agree_unfit
    (name and caption agree on a sense outside the category's lexnames) or none."""

    word: str | None
    synset: str | None
    source: str


@dataclass(frozen=True)
class _Evidence:
    """What one stamp offers: its category and folder hints, the name's noun candidates and
    token bag, the caption's nouns, and every noun sense the name could mean."""

    category: str
    hints: frozenset[Synset]
    from_name: list[str]
    bag: set[str]
    cap: CaptionNouns
    name_synsets: set[Synset]


class WordMapper:
    """Maps a stamp (file name, caption, folders) to a WordNet noun and its visual word."""

    def __init__(self, wordnet: WordNetCorpusReader) -> None:
        self.lexicon = Lexicon(wordnet)

    def map(self, image_id: str, caption: str | None, category: str) -> WordMatch:
        """The visual word and synset of one stamp.

        In order: a caption head the name agrees with (same synset, or the name holds the head
        word); a noun modifying that head that the name agrees with and that is a kind of the
        head ("An avocado fruit."); the head of a plain caption; another caption noun the name
        agrees with; a noun of the name; a caption head WordNet does not know (a word without
        synset); a caption head the name agrees with although no sense fits the category ("A
        skull." under seasonal/). Each step but the last two needs a sense that fits.
        """
        evidence = self._evidence(image_id, caption, category)
        steps = (
            self._agreeing_head,
            self._agreeing_kind_of_head,
            self._plain_head,
            self._agreeing_other,
            self._name_noun,
            self._unlisted_head,
            self._agreeing_head_unfit,
        )
        for step in steps:
            if found := step(evidence):
                return found
        return WordMatch(None, None, "none")

    def _evidence(self, image_id: str, caption: str | None, category: str) -> _Evidence:
        """Everything the steps of :meth:`map` weigh, gathered once per stamp."""
        hints = folder_hints(self.lexicon, image_id, category)
        from_name, bag = name_candidates(self.lexicon, image_id)
        cap = caption_candidates(self.lexicon, caption)
        name_synsets = {s for phrase in from_name for s in self.lexicon.nouns(phrase)}
        return _Evidence(category, hints, from_name, bag, cap, name_synsets)

    def _agreeing_head(self, ev: _Evidence) -> WordMatch | None:
        """A caption head the name agrees with: the strongest evidence, two authors agreeing."""
        for phrase in ev.cap.head:
            if found := self._agreeing(ev, phrase, need_fit=True):
                return found
        return None

    def _agreeing_kind_of_head(self, ev: _Evidence) -> WordMatch | None:
        """A noun modifying the caption's first head that the name agrees with and that is a
        kind of that head ("An avocado fruit." shows an avocado, a kind of fruit)."""
        kinds = {s for head in ev.cap.head[:1] for s in self.lexicon.nouns(head)}
        for phrase in ev.cap.modifiers:
            senses = self.lexicon.nouns(phrase)
            below = any(not kinds.isdisjoint(self.lexicon.ancestors(s)) for s in senses)
            if below and (found := self._agreeing(ev, phrase, need_fit=True)):
                return found
        return None

    def _plain_head(self, ev: _Evidence) -> WordMatch | None:
        """The first head of a plain caption that fits the category, trying a shorter head only
        where it is the one before without its adjectives ("A yellow flag." is a flag, not a
        yellow iris; "Teddy bear." is no bear)."""
        for k, phrase in enumerate(ev.cap.head if ev.cap.plain else ()):
            if k and not self.lexicon.drops_modifiers(ev.cap.head[k - 1], phrase):
                break
            if fits(self.lexicon, phrase, ev.category):
                return self._match(ev, phrase, "caption")
        return None

    def _agreeing_other(self, ev: _Evidence) -> WordMatch | None:
        """Any other caption noun the name agrees with ("Eat your bread!" in bread, "Remember to
        flush the toilet ..." in toilet)."""
        for phrase in ev.cap.other:
            if found := self._agreeing(ev, phrase, need_fit=True):
                return found
        return None

    def _name_noun(self, ev: _Evidence) -> WordMatch | None:
        """The first noun of the file name that fits, when the caption offers none the name
        agrees with ("Tux Airways." in plane)."""
        for phrase in ev.from_name:
            if fits(self.lexicon, phrase, ev.category):
                return self._match(ev, phrase, "name")
        return None

    def _unlisted_head(self, ev: _Evidence) -> WordMatch | None:
        """A caption head word WordNet does not list at all ("A cep."): the word, no synset."""
        token = ev.cap.head_token
        if token and token.isalpha() and not self.lexicon.knows(token):
            return WordMatch(token, None, "unlisted")
        return None

    def _agreeing_head_unfit(self, ev: _Evidence) -> WordMatch | None:
        """A caption head the name agrees with although no sense fits the category ("A skull."
        under seasonal/): the last resort, name and caption agreeing against the folder."""
        for phrase in ev.cap.head:
            if found := self._agreeing(ev, phrase, need_fit=False):
                return found
        return None

    def _match(
        self, ev: _Evidence, phrase: str, source: str, among: Sequence[Synset] = ()
    ) -> WordMatch:
        """``phrase`` as the stamp's word, its sense picked among ``among`` (default: all)."""
        nouns = among or self.lexicon.nouns(phrase)
        synset = pick_sense(self.lexicon, nouns, ev.category, ev.hints, phrase)
        return WordMatch(word_form(self.lexicon, phrase, synset), synset.name(), source)

    def _agreeing(self, ev: _Evidence, phrase: str, need_fit: bool) -> WordMatch | None:
        """A caption ``phrase`` the name agrees with: a sense shared with a name noun, or the
        name holds its last word (then a longer name noun ending in it is preferred, unless it is
        a misleading colour compound); with ``need_fit`` the chosen word must fit the category."""
        source = "agree" if need_fit else "agree_unfit"
        shared = [s for s in self.lexicon.nouns(phrase) if s in ev.name_synsets]
        if shared:
            fitting = [s for s in shared if fits_synset(s, ev.category)]
            if fitting or not need_fit:  # "A pink dream house." in pinkhome: no family
                return self._match(ev, phrase, source, fitting or shared)
            if fits(self.lexicon, phrase, ev.category):
                return self._match(ev, phrase, source)
        elif phrase.split("_")[-1] in ev.bag:
            longer = [n for n in ev.from_name if n.endswith(f"_{phrase}")]
            longer = [n for n in longer if not self.lexicon.misleading_compound(n, [phrase])]
            chosen = longer[0] if longer else phrase
            if not need_fit or fits(self.lexicon, chosen, ev.category):  # "Teddy bear." is no bear
                return self._match(ev, chosen, source)
        return None
