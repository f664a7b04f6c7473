"""WordNet from Debian's dictionary through NLTK's reader: the folder prepare_wordnet assembles
reads synsets, relations, lexicographer files and plurals, and a missing dictionary is one clear
error."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from crossmodal.core.errors import InputError
from crossmodal.data.wordnet import DICT_FILES, LEXNAMES, load_wordnet, prepare_wordnet

DEBIAN = Path("/usr/share/wordnet")

pytestmark = pytest.mark.skipif(
    not (DEBIAN / "data.noun").is_file(),
    reason="Debian WordNet dictionary (wordnet-base) not installed in /usr/share/wordnet",
)


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    """A WordNet folder prepared from the Debian dictionary (an empty NLTK data dir forces it)."""
    root = tmp_path_factory.mktemp("wn")
    out = root / "wordnet"
    source = prepare_wordnet(str(root / "no_nltk_data"), DEBIAN, out)
    return out, source


def test_debian_dictionary_is_used_and_lexnames_written(prepared):
    out, source = prepared
    assert source == f"debian:{DEBIAN}"
    lines = (out / "lexnames").read_text(encoding="ascii").splitlines()
    assert len(lines) == len(LEXNAMES) == 45
    assert lines[5].split("\t") == ["05", "noun.animal", "1"]
    assert all((out / name).is_file() for name in DICT_FILES)


def test_synsets_relations_and_lexnames(prepared):
    wn = load_wordnet(prepared[0])
    cheetah = wn.synset("cheetah.n.01")
    assert cheetah.lexname() == "noun.animal"
    assert wn.synset("big_cat.n.01") in cheetah.hypernyms()
    assert cheetah in wn.synset("big_cat.n.01").hyponyms()
    assert wn.synset("hammer.n.02").lexname() == "noun.artifact"
    assert wn.synset("apricot.n.02").lexname() == "noun.food"
    # plurals reach their lemma through the exception lists and morphy
    assert wn.morphy("cherries", "n") == "cherry"
    assert wn.morphy("geese", "n") == "goose"
    assert "glasses" in wn.synset("spectacles.n.01").lemma_names()
    # a multi-word lemma is written with "_"
    assert wn.synsets("great_blue_heron", "n") == [wn.synset("great_blue_heron.n.01")]


@pytest.mark.bad_input
def test_missing_dictionary_is_one_clear_error(tmp_path):
    nowhere = tmp_path / "no_dictionary"
    with pytest.raises(InputError, match="no_dictionary.*wordnet-base") as err:
        prepare_wordnet(str(tmp_path / "no_nltk"), nowhere, tmp_path / "out")
    assert "\n" not in str(err.value)
    assert not (tmp_path / "out").exists()


@pytest.mark.bad_input
def test_unprepared_folder_is_refused(tmp_path):
    with pytest.raises(InputError, match="not a prepared WordNet folder"):
        load_wordnet(tmp_path)


def test_preparing_again_replaces_the_folder(prepared, tmp_path):
    out = tmp_path / "wordnet"
    out.mkdir()
    (out / "stale").write_text("left over", encoding="utf-8")
    prepare_wordnet(str(tmp_path / "no_nltk"), DEBIAN, out)
    assert not (out / "stale").exists()
    assert load_wordnet(out).synset("dog.n.01").lexname() == "noun.animal"


def test_relations_are_listed_in_the_same_order_in_every_process(prepared):
    """NLTK lists relations in set order, which follows Python's per-process string hashing;
    the reader fixes it, so that what is built from relations (the demo corpus) is the same in
    every run. Two processes with different hash seeds (run side by side) must list the same
    hyponyms: dog.n.01 alone has 18, which two seeds put in one order by chance almost never."""
    code = (
        "import sys; from crossmodal.data.wordnet import load_wordnet; "
        "wn = load_wordnet(sys.argv[1]); "
        "print([h.name() for s in ('adjustable_wrench.n.01', 'dog.n.01', 'tool.n.01') "
        "for h in wn.synset(s).hyponyms() + wn.synset(s).hypernyms()])"
    )
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", code, str(prepared[0])],
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
            stdout=subprocess.PIPE,
            text=True,
        )
        for seed in (1, 2)
    ]
    listings = {run.communicate()[0] for run in runs}
    assert [run.returncode for run in runs] == [0, 0]
    assert len(listings) == 1 and "crescent_wrench.n.01" in listings.pop()
