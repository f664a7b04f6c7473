"""The noun candidates of a caption: its opening noun phrase found by stop words, determiners
and verb forms, that phrase's head and modifiers, the object of "X of Y", "X the Y" and
"called Y", and every other noun; and whether the caption is a plain noun phrase at all."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from crossmodal.data.tuxpaint.lexicon import Lexicon
from crossmodal.data.tuxpaint.tokens import caption_clauses
from crossmodal.data.tuxpaint.wordlists import DETERMINERS, PORTIONS, QUANTITIES, STOP_WORDS


@dataclass(frozen=True)
class CaptionNouns:
    """Noun candidates of a caption: ``head`` names its opening noun phrase (n-grams ending at
    the head first, longest first), ``modifiers`` are the other nouns of that phrase, ``other``
    every other noun in the caption; ``plain`` says the caption is a noun phrase ("A red
    apple.", "Circus tent."), not a remark ("Say cheese!")."""

    head: list[str]
    modifiers: list[str]
    other: list[str]
    plain: bool
    head_token: str | None


def caption_candidates(lexicon: Lexicon, caption: str | None) -> CaptionNouns:
    """Noun candidates of a caption (see :class:`CaptionNouns`).

    In "X of Y" both phrases name the object: Y first after a quantity ("a pair of
    scissors"), X first otherwise ("a cup of coffee", "the house of the hunter").
    """
    clauses = caption_clauses(caption)
    if not clauses:
        return CaptionNouns([], [], [], False, None)
    tokens = clauses[0]
    start, end = noun_phrase(lexicon, tokens)
    phrase = _strip_portion(lexicon, tokens[start:end])
    head_token = phrase[-1] if phrase else None
    head = lexicon.ngrams(phrase, head_only=True)
    within = lexicon.ngrams(phrase)
    if tokens[end : end + 1] == ["of"]:
        complement = _opening_phrase(lexicon, tokens[end + 1 :])
        of_head = lexicon.ngrams(complement, head_only=True)
        if phrase[-1:] and phrase[-1] in QUANTITIES:
            head, within = of_head, head + within
            head_token = complement[-1] if complement else head_token
        else:
            within = of_head + within
    if start == 0 and tokens[end : end + 1] == ["the"]:  # "Eddie the Helicopter."
        head = lexicon.ngrams(_opening_phrase(lexicon, tokens[end + 1 :]), head_only=True) + head
    for clause in clauses:  # "a 5 cent piece called a nickel": the nickel
        if "called" in clause:
            after = clause[clause.index("called") + 1 :]
            head = lexicon.ngrams(_opening_phrase(lexicon, after), head_only=True) + head
    head = list(dict.fromkeys(h for h in head if not lexicon.misleading_compound(h, head)))
    modifiers = [p for p in dict.fromkeys(within) if p not in head]
    other = [p for c in map(lexicon.ngrams, clauses) for p in c if p not in head + modifiers]
    plain = _is_plain(caption or "", tokens, start, head_token)
    return CaptionNouns(head, modifiers, modifiers + list(dict.fromkeys(other)), plain, head_token)


def noun_phrase(lexicon: Lexicon, tokens: Sequence[str]) -> tuple[int, int]:
    """Bounds ``(start, end)`` of the opening noun phrase of a clause: determiners and stop
    words before it skipped, cut at the next stop word or at a verb form after a noun."""
    start = 0
    while start < len(tokens) and (
        tokens[start] in DETERMINERS or not lexicon.usable(tokens[start])
    ):
        if start + 1 < len(tokens) and lexicon.nouns(f"{tokens[start]}_{tokens[start + 1]}"):
            break  # "whole note"
        start += 1
    end = start
    while end < len(tokens):
        token = tokens[end]
        if token in ("and", "or") and end > start and lexicon.is_adjective(tokens[end - 1]):
            end += 1  # "a red and white anemone flower"
            continue
        if token in STOP_WORDS and not (
            end + 1 < len(tokens) and lexicon.nouns(f"{token}_{tokens[end + 1]}")
        ):
            break
        if end > start and _ends_phrase(lexicon, tokens, end):
            break
        end += 1
    return start, end


def _opening_phrase(lexicon: Lexicon, tokens: Sequence[str]) -> Sequence[str]:
    """The tokens of the noun phrase that opens ``tokens`` (see :func:`noun_phrase`)."""
    start, end = noun_phrase(lexicon, tokens)
    return tokens[start:end]


def _ends_phrase(lexicon: Lexicon, tokens: Sequence[str], k: int) -> bool:
    """Whether ``tokens[k]`` is a verb form ending the noun phrase before it: a participle
    after a word that is no adjective ("spider playing", but "red headed cep"), unless it
    makes a compound with the next word ("sailing ship"); an inflected verb after a noun
    or name ("light means", "tender carries"); a verb with no noun reading."""
    token, previous = tokens[k], tokens[k - 1]
    base = lexicon.verb_base(token)
    if base is None:
        return False
    following = tokens[k + 1] if k + 1 < len(tokens) else None
    if token.endswith(("ing", "ed")):
        if lexicon.is_adjective(previous):
            return False
        return following is None or not lexicon.nouns(f"{token}_{following}")
    if token.endswith("s") and base != token and following is not None:
        return bool(lexicon.nouns(previous)) or not lexicon.knows(previous)
    return not lexicon.nouns(token)


def _strip_portion(lexicon: Lexicon, phrase: list[str]) -> list[str]:
    """Drop a trailing portion word that is not part of a compound: "lemon slice" shows a
    lemon, "drum kit" drums; "light bulb" stays."""
    if len(phrase) > 1 and phrase[-1] in PORTIONS:
        if not any("_" in p for p in lexicon.ngrams(phrase, head_only=True)):
            return phrase[:-1]
    return phrase


def _is_plain(caption: str, tokens: Sequence[str], start: int, head: str | None) -> bool:
    """A caption that opens with an article, or with its noun phrase ("Circus tent.");
    not an exclamation ("Boom!!!") and not a proper name ("Tux Airways.")."""
    names = {w.lower() for w in re.findall(r"[A-Za-z][\w'-]*", caption)[1:] if w[0].isupper()}
    if head is None or head in names:
        return False
    return tokens[0] in DETERMINERS or (start == 0 and not re.match(r"^\W*\w+\W*!", caption))
