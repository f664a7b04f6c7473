"""The word lists shipped with crossmodal.data.tuxpaint: they load from the package, are sets of
lower-case words, keep the relations the mapper relies on, and a malformed file is refused."""

import pytest
from gensim.parsing.preprocessing import STOPWORDS

from crossmodal.core.errors import InputError
from crossmodal.data.tuxpaint import wordlists
from crossmodal.data.tuxpaint.wordlists import LIST_NAMES, read_word_lists

GOOD = "\n".join(f"{name}:\n  - word{i}" for i, name in enumerate(LIST_NAMES))


def test_packaged_lists_load_as_sets_of_lowercase_words():
    for name in LIST_NAMES:
        words = getattr(wordlists, name.upper())
        assert isinstance(words, frozenset) and words, name
        assert all(w == w.lower() and w.strip() == w and " " not in w for w in words), name
    assert wordlists.STOP_WORDS == frozenset(STOPWORDS) - wordlists.CONTENT_WORDS_IN_STOPLIST


def test_content_words_are_stop_words_that_can_open_a_noun():
    # Each exception must remove a word from gensim's list, and a content word that were also a
    # determiner would be skipped before a noun phrase and never start a noun candidate.
    content = wordlists.CONTENT_WORDS_IN_STOPLIST
    assert content <= frozenset(STOPWORDS)
    assert content.isdisjoint(wordlists.DETERMINERS)


def test_a_valid_text_reads_back():
    lists = read_word_lists(GOOD, "good.yaml")
    assert lists == {name: frozenset({f"word{i}"}) for i, name in enumerate(LIST_NAMES)}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (GOOD.replace("  - word0", "  - Word0"), "'Word0' is not a lower-case word"),
        (GOOD.replace("  - word0", "  - no"), "False is not a lower-case word"),
        (GOOD.replace("  - word0", "  - word0\n  - word0"), "lists a word twice"),
        (GOOD.replace("  - word0", "  []"), "must be a non-empty list"),
        (GOOD + "\nextra:\n  - word", "expected the keys"),
        ("determiners: [a", "not valid YAML"),
    ],
)
def test_a_malformed_text_is_refused(text, message):
    with pytest.raises(InputError, match=f"bad.yaml: .*{message}"):
        read_word_lists(text, "bad.yaml")
