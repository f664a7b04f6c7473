"""The Tux Paint image table, built from a copy of a few real stamp folders: contract columns and
dtypes, the word and WordNet synset of known stamps, the excluded letters and skipped twins and
mirror views, a seeded split stratified by folder, and the word mapper on real captions."""

import shutil
from pathlib import Path

import pandas as pd
import pytest

from crossmodal.core.errors import InputError
from crossmodal.data.tuxpaint.mapper import WordMapper
from crossmodal.data.tuxpaint.stamps import find_stamps
from crossmodal.data.tuxpaint.table import build_image_table, stable_split
from crossmodal.data.tuxpaint.tokens import caption_tags
from crossmodal.data.wordnet import load_wordnet, prepare_wordnet

STAMPS = Path("/usr/share/tuxpaint/stamps")
WORDNET = Path("/usr/share/wordnet")
FOLDERS = ["animals/mammals/cats", "food/fruit", "household/tools", "vehicles/flight"]
LETTERS = "symbols/alphabets/english/filled/uppercase"
COLUMNS = ["image_id", "path", "word", "synset", "category", "caption", "tags", "split"]

pytestmark = pytest.mark.skipif(
    not (STAMPS / "animals").is_dir() or not (WORDNET / "data.noun").is_file(),
    reason="Debian tuxpaint-stamps-default and wordnet-base are needed",
)


def _copy_stamps(folder: str, target: Path, limit: int | None = None) -> None:
    """Copy a stamp folder's images and descriptions (not its sounds)."""
    files = sorted(p for p in (STAMPS / folder).rglob("*") if p.suffix in (".png", ".svg", ".txt"))
    for path in files[:limit]:
        destination = target / path.relative_to(STAMPS)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, destination)


@pytest.fixture(scope="module")
def wordnet(tmp_path_factory):
    root = tmp_path_factory.mktemp("wn")
    prepare_wordnet(str(root / "no_nltk"), WORDNET, root / "wordnet")
    return load_wordnet(root / "wordnet")


@pytest.fixture(scope="module")
def stamps(tmp_path_factory):
    root = tmp_path_factory.mktemp("stamps")
    for folder in FOLDERS:
        _copy_stamps(folder, root)
    _copy_stamps(LETTERS, root, limit=6)
    return root


@pytest.fixture(scope="module")
def table(stamps, wordnet):
    return build_image_table(stamps, wordnet, 0.2, 0, exclude=["symbols/alphabets/*"])


def test_columns_and_dtypes(table):
    images, _ = table
    assert list(images.columns) == COLUMNS
    for column in ("image_id", "path", "word", "synset", "category", "caption", "split"):
        assert images[column].dtype == "string", column
    assert images["image_id"].is_unique
    assert all(isinstance(tags, list) for tags in images["tags"])
    assert set(images["split"]) == {"train", "test"}
    assert all(Path(p).is_absolute() and Path(p).is_file() for p in images["path"])
    words = images["word"].dropna()
    assert (words == words.str.lower()).all() and not words.str.contains(" ").any()


def test_known_stamps(table):
    images = table[0].set_index("image_id")
    expect = {
        "animals/mammals/cats/cheetah": ("cheetah", "cheetah.n.01"),
        "animals/mammals/cats/kitten": ("kitten", "kitten.n.01"),
        "animals/mammals/cats/tiger_sumatran": ("tiger", "tiger.n.02"),  # "A Sumatran tiger."
        "animals/mammals/cats/lion-2": ("lion", "lion.n.01"),
        "food/fruit/Apricot_whole": ("apricot", "apricot.n.02"),  # the fruit, not the tree
        "food/fruit/Cherry_Stella": ("cherry", "cherry.n.03"),  # "A pair of cherries."
        "food/fruit/cartoon/lemon_slice": ("lemon", "lemon.n.01"),
        "household/tools/hammer": ("hammer", "hammer.n.02"),  # under tools/: the hand tool
        "household/tools/plyers": ("pliers", "pliers.n.01"),
        "vehicles/flight/cartoon/eddieCopter": ("helicopter", "helicopter.n.01"),
    }
    for image_id, (word, synset) in expect.items():
        assert (images.loc[image_id, "word"], images.loc[image_id, "synset"]) == (word, synset)
    assert images.loc["animals/mammals/cats/kitten", "caption"] == "A white kitten."
    assert images.loc["animals/mammals/cats/kitten", "tags"] == ["white", "kitten"]
    for image_id in images.index:
        assert images.loc[image_id, "category"] == image_id.split("/")[0]


def test_letters_twins_and_mirror_views_are_left_out(table, stamps):
    images, summary = table
    counts = dict(zip(summary["count"], summary["value"], strict=True))
    assert not images["image_id"].str.startswith("symbols/").any()
    letters = [p for p in (stamps / LETTERS).iterdir() if p.suffix in (".png", ".svg")]
    assert letters and counts["skipped_excluded"] == len(letters)
    assert "household/tools/measuring_tape_mirror" not in set(images["image_id"])
    assert counts["skipped_mirror_views"] == 1
    # PNG kept where the same drawing also comes as SVG
    twins = [p for p in stamps.rglob("*.svg") if p.with_suffix(".png").is_file()]
    assert twins and counts["skipped_svg_with_png_twin"] == len(twins)
    row = images.set_index("image_id").loc["food/fruit/cartoon/banana"]
    assert row["path"].endswith("banana.png")
    assert counts["images"] == len(images)
    assert counts["images_with_synset"] == images["synset"].notna().sum()
    assert counts["distinct_words"] == images["word"].nunique()


def test_split_is_stratified_and_seeded(table, stamps, wordnet):
    images = table[0]
    for _, group in images.groupby("category"):
        assert (group["split"] == "test").sum() == round(0.2 * len(group))
    again, _ = build_image_table(stamps, wordnet, 0.2, 0, exclude=["symbols/alphabets/*"])
    pd.testing.assert_frame_equal(images, again)
    other = stable_split(images["image_id"], images["category"], 0.2, seed=1)
    assert other != list(images["split"])


def test_split_of_a_category_ignores_the_others(table):
    images = table[0]
    cats = images[images["category"] == "animals"]
    alone = stable_split(cats["image_id"], cats["category"], 0.2, seed=0)
    assert alone == list(cats["split"])
    with pytest.raises(InputError, match="test_fraction"):
        stable_split(cats["image_id"], cats["category"], 1.5, seed=0)


def test_word_mapper_on_real_captions(wordnet):
    mapper = WordMapper(wordnet)
    cases = [
        ("household/dishes/coffeecup", "A cup of coffee.", "household", "coffee_cup"),
        ("household/arttools/scissors_small_open", "A pair of open scissors.", "household",
         "scissors"),
        ("vehicles/flight/planes/cartoon/plane", "Tux Airways.", "vehicles", "plane"),
        ("seasonal/halloween/blackcat", "A black cat.", "seasonal", "cat"),
        ("food/fruit/avocado", "An avocado fruit.", "food", "avocado"),
        ("animals/birds/cartoon/tux", "Tux\u2014the Linux mascot!", "animals", "penguin"),
        ("clothes/glasses1", "A pair of glasses.", "clothes", "glasses"),
        ("animals/insects/cartoon/spider_computer", "A spider playing computer games.",
         "animals", "spider"),
    ]  # fmt: skip
    for image_id, caption, category, word in cases:
        assert mapper.map(image_id, caption, category).word == word, image_id
    unknown = mapper.map("plants/mushrooms/cep-1", "A cep.", "plants")
    assert (unknown.word, unknown.synset) == ("cep", None)
    assert mapper.map("symbols/faces/happy", "Happy!", "symbols").word is None


def test_caption_tags():
    assert caption_tags("Fire! Fire! Fire!") == ["fire"]
    assert caption_tags("A knight\u2019s helmet.") == ["knight", "helmet"]
    assert caption_tags(None) == []


@pytest.mark.bad_input
def test_missing_or_empty_stamps_folder(tmp_path):
    with pytest.raises(InputError, match="no_stamps: stamps folder not found"):
        find_stamps(tmp_path / "no_stamps")
    with pytest.raises(InputError, match="no PNG or SVG stamps"):
        find_stamps(tmp_path)
