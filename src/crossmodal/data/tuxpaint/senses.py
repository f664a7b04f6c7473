"""Which WordNet sense of a noun a stamp shows: a sense whose lexicographer file fits the stamp's
top-level folder, below the meaning of a sub-folder, named first by the word, or most frequent;
and the lemma that spells the chosen sense."""

from __future__ import annotations

from collections.abc import Iterable

from nltk.corpus.reader.wordnet import Synset

from crossmodal.data.tuxpaint.lexicon import Lexicon

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


def fits_synset(synset: Synset, category: str) -> bool:
    """Whether the synset's lexicographer file is in any tier of the category."""
    return any(synset.lexname() in tier for tier in CATEGORY_LEXNAMES.get(category, ()))


def fits(lexicon: Lexicon, phrase: str, category: str) -> bool:
    """Whether any noun sense of ``phrase`` fits the category."""
    return any(fits_synset(s, category) for s in lexicon.nouns(phrase))


def pick_sense(
    lexicon: Lexicon,
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
    forms = {phrase} if phrase in lemmas else set(lexicon.noun_base_forms(phrase))

    def key(item: tuple[int, Synset]) -> tuple[int, bool, bool, int]:
        rank, synset = item
        tier = next((i for i, t in enumerate(tiers) if synset.lexname() in t), len(tiers))
        related = lexicon.ancestors(synset) | set(synset.topic_domains())
        below_hint = bool(hints) and not hints.isdisjoint(related)
        named = synset.lemma_names()[0].lower() in forms
        return tier, not below_hint, not named, rank

    return min(enumerate(synsets), key=key)[1]


def folder_hints(lexicon: Lexicon, image_id: str, category: str) -> frozenset[Synset]:
    """Synsets named by the folders between the category and the file (``fish``, ``tools``,
    ``birds``, ``chess``): a sense below one of them, or in its topic ("king" in chess),
    is the one the folder means."""
    hints: set[Synset] = set()
    for folder in image_id.lower().split("/")[1:-1]:
        synsets = lexicon.nouns(folder) if folder != "cartoon" else []
        if any(fits_synset(s, category) for s in synsets):
            hints.add(pick_sense(lexicon, synsets, category))
        else:  # no sense fits: any may be meant ("chess", a game, for chess pieces)
            hints.update(synsets)
    return frozenset(hints)


def word_form(lexicon: Lexicon, phrase: str, synset: Synset) -> str:
    """The lemma of ``synset`` that ``phrase`` spells (``blue_jeans`` -> ``blue_jean``,
    ``glasses`` stays ``glasses``), lower-case."""
    lemmas = {name.lower() for name in synset.lemma_names()}
    for form in [phrase, *lexicon.noun_base_forms(phrase)]:
        if form.lower() in lemmas:
            return form.lower()
    return phrase.lower()
