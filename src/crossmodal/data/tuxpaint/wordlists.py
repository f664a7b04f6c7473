"""The word lists of the word mapper, read once from the ``wordlists.yaml`` shipped with the
package (what each list is for is commented there).

They live in a data file rather than in code so that a reader can review and extend the
vocabulary rules without reading the mapper; the module constants below are the only readers.
"""

from __future__ import annotations

from importlib.resources import files

import yaml
from gensim.parsing.preprocessing import STOPWORDS

from crossmodal.core.errors import InputError

WORDLISTS_FILE = "wordlists.yaml"
LIST_NAMES = (
    "content_words_in_stoplist",
    "determiners",
    "quantities",
    "portions",
    "rendering_words",
    "variant_words",
)


def read_word_lists(text: str, source: str) -> dict[str, frozenset[str]]:
    """The lists of a word-list YAML ``text`` as frozensets, checked: exactly the keys of
    :data:`LIST_NAMES`, each a non-empty list of distinct lower-case words. A capitalised
    entry would never match the lower-cased tokens it is compared with, and an unquoted ``no``
    or ``on`` would arrive as a boolean; both are edit mistakes worth stopping on."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as err:
        raise InputError(f"{source}: not valid YAML ({err})") from err
    if not isinstance(data, dict) or set(data) != set(LIST_NAMES):
        found = sorted(data) if isinstance(data, dict) else type(data).__name__
        raise InputError(f"{source}: expected the keys {list(LIST_NAMES)}, found {found}")
    lists = {}
    for name in LIST_NAMES:
        words = data[name]
        if not isinstance(words, list) or not words:
            raise InputError(f"{source}: {name} must be a non-empty list of words")
        for word in words:
            if not isinstance(word, str) or not word or word != word.lower():
                raise InputError(f"{source}: {name}: {word!r} is not a lower-case word")
        if len(set(words)) != len(words):
            raise InputError(f"{source}: {name} lists a word twice")
        lists[name] = frozenset(words)
    return lists


_LISTS = read_word_lists(
    files(__package__).joinpath(WORDLISTS_FILE).read_text(encoding="utf-8"), WORDLISTS_FILE
)
CONTENT_WORDS_IN_STOPLIST = _LISTS["content_words_in_stoplist"]
DETERMINERS = _LISTS["determiners"]
QUANTITIES = _LISTS["quantities"]
PORTIONS = _LISTS["portions"]
RENDERING_WORDS = _LISTS["rendering_words"]
VARIANT_WORDS = _LISTS["variant_words"]
# gensim's stop list is gensim's to maintain: only the exceptions to it are ours.
STOP_WORDS = frozenset(STOPWORDS) - CONTENT_WORDS_IN_STOPLIST
