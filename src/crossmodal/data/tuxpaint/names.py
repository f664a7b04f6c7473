"""The noun candidates of a stamp's file name (``tiger_sumatran``, ``coffeecup``,
``final-roll-call``), with the bag of its tokens that a caption noun may agree with."""

from __future__ import annotations

from crossmodal.data.tuxpaint.lexicon import Lexicon
from crossmodal.data.tuxpaint.tokens import name_tokens
from crossmodal.data.tuxpaint.wordlists import RENDERING_WORDS, VARIANT_WORDS


def name_candidates(lexicon: Lexicon, image_id: str) -> tuple[list[str], set[str]]:
    """Noun candidates from the file name and the bag of its tokens.

    A word inside a longer candidate is not one of its own (``final-roll-call`` is a roll
    call, not a roll); tokens WordNet does not know are tried as run-together compounds.
    """
    tokens = [t for t in name_tokens(image_id) if t not in RENDERING_WORDS]
    found = lexicon.ngrams(tokens)
    candidates = [
        phrase
        for phrase in found
        if phrase not in VARIANT_WORDS
        and not any(f"_{phrase}_" in f"_{longer}_" and longer != phrase for longer in found)
    ]
    bag = set(tokens)
    for token in tokens:
        if lexicon.nouns(token):
            continue
        for compound in lexicon.compound(token):
            bag.update(compound.split("_"))
            if compound not in candidates:
                candidates.append(compound)
    return candidates, bag - VARIANT_WORDS
