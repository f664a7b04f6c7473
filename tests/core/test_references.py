"""Config cross-references: both shipped configs pass; each dangling name is one exact line."""

import copy
from pathlib import Path

import pytest
import yaml

from crossmodal.core.config import check_config, validate_config
from crossmodal.core.errors import InputError
from crossmodal.core.references import check_references

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT / "workflow/schemas/config.schema.yaml"


def validated(name: str = "config.yaml") -> dict:
    config = yaml.safe_load((ROOT / "config" / name).read_text())
    return validate_config(config, SCHEMA)


DEMO = validated()


@pytest.mark.parametrize("name", ["config.yaml", "full.yaml"])
def test_shipped_configs_have_no_dangling_reference(name):
    check_references(validated(name))


def add_download_dataset(config):
    config["datasets"]["nus"] = {"source": "nuswide", "archives": ["lists", "tags"]}
    config["downloads"]["lists"] = {"url": "https://example.org/lists.zip", "sha256": None}


def wordnet_glosses_without_images(config):
    config["datasets"]["fx"] = {"source": "features"}
    config["words"]["dataset"] = "fx"


def feature_dataset(tmp: Path):
    def edit(config):
        (tmp / "text.csv").write_text("a,1\n")
        config["collell2018"]["datasets"]["fx"] = {
            "source": "features",
            "visual": {"vis": {"train": "data/tr.csv", "test": "resources/x/ts.csv"}},
            "text": {"txt": {"file": str(tmp / "text.csv")}},
            "split_file": "data/split.txt",
        }

    return edit


MISTAKES = {
    "archive": (
        add_download_dataset,
        "config datasets.nus.archives: tags not in config `downloads`",
    ),
    "corpus-download": (
        lambda c: c["corpora"].update(web={"source": "download", "download": "webtext"}),
        "config corpora.web.download: 'webtext' is not in config `downloads`",
    ),
    "benchmark-download": (
        lambda c: c["benchmarks"].update(men={"source": "download", "download": "men"}),
        "config benchmarks.men.download: 'men' is not in config `downloads`",
    ),
    "cnn-model": (
        lambda c: c["vision"]["cnn"].update(vgg={"backend": "opencv", "model": "vgg19"}),
        "config vision.cnn.vgg.model: 'vgg19' is not a key of `downloads`",
    ),
    "cnn-config": (
        lambda c: (
            c["downloads"].update(pb={"url": "https://example.org/m.pb", "sha256": None}),
            c["vision"]["cnn"].update(tf={"backend": "opencv", "model": "pb", "config": "pbtxt"}),
        ),
        "config vision.cnn.tf.config: 'pbtxt' is not a key of `downloads`",
    ),
    "pretrained-download": (
        lambda c: c["text"]["pretrained"].update(glove={"download": "glove6b", "format": "glove"}),
        "config text.pretrained.glove.download: 'glove6b' is not in config `downloads`",
    ),
    "sgns-corpus": (
        lambda c: c["text"]["sgns"].update(corpus="text8"),
        "config text.sgns.corpus: 'text8' is not in config `corpora`",
    ),
    "pixie-corpus": (
        lambda c: c["pixie"].update(corpus="text8"),
        "config pixie.corpus: 'text8' is not in config `corpora`",
    ),
    "wordnet-glosses": (
        wordnet_glosses_without_images,
        "config corpora.demo.wordnet_glosses needs `words: dataset` to name a dataset with images",
    ),
    "collell-run": (
        lambda c: c["collell2018"].update(run=["tuxpaint", "imagenet", "wiki"]),
        "collell2018.run: imagenet, wiki not in collell2018.datasets",
    ),
    "collell-table1-mapping": (
        lambda c: c["collell2018"].update(table1_mappings=["lin", "nn7"]),
        "collell2018: mapping(s) nn7 not in collell2018.mappings",
    ),
    "collell-supplement-mapping": (
        lambda c: c["collell2018"].update(supplement_mappings=["nn3", "nncos", "nncos"]),
        "collell2018: mapping(s) nncos not in collell2018.mappings",
    ),
    "collell-neighbours": (
        lambda c: c["collell2018"]["evaluation"].update(neighbours=["euclidean"]),
        "config collell2018.evaluation.neighbours: ['euclidean'] leaves out cosine, which "
        "Table 1 and the mNNO-vs-epochs figure report; add cosine",
    ),
    "collell-no-split": (
        lambda c: c["collell2018"]["datasets"].update(
            fx={
                "source": "features",
                "visual": {"v": {"file": "resources/v.csv"}},
                "text": {"t": {"file": "resources/t.csv"}},
            }
        ),
        "config collell2018.datasets.fx: one feature file per modality needs a split; give "
        "folds, test_fraction or split_file",
    ),
    "collell-table2-benchmark": (
        lambda c: c["collell2018"]["untrained"].update(benchmarks=["ws353", "semsim"]),
        "collell2018.untrained.benchmarks: semsim not in `benchmarks`",
    ),
    "pixie-benchmark": (
        lambda c: c["pixie"].update(benchmarks=["ws353", "men", "rg65"]),
        "pixie.benchmarks: men, rg65 not in `benchmarks`",
    ),
    # The demo's retrieval test stamps are Tux Paint images: a visual word averaged over one of
    # them would carry the test image into the word vectors of every retrieval model.
    "pixie-visual-test-split": (
        lambda c: c["pixie"]["visual"].update(splits=["train", "test"]),
        "config pixie.visual: the visual words would average test images ('test') of the "
        "retrieval dataset 'tuxpaint'; use source senses with splits that leave them out, "
        "e.g. [train]",
    ),
    "pixie-visual-all-splits": (
        lambda c: c["pixie"]["visual"].update(splits=None),
        "config pixie.visual: the visual words would average test images ('test') of the "
        "retrieval dataset 'tuxpaint'; use source senses with splits that leave them out, "
        "e.g. [train]",
    ),
    "pixie-visual-words-source": (
        lambda c: c["pixie"]["visual"].update(source="words"),
        "config pixie.visual: the visual words would average test images ('test') of the "
        "retrieval dataset 'tuxpaint'; use source senses with splits that leave them out, "
        "e.g. [train]",
    ),
    "pixie-visual-file": (
        lambda c: c["pixie"]["visual"].update(source="file"),
        "config pixie.visual.file: needed by source file",
    ),
}


@pytest.mark.bad_input
@pytest.mark.parametrize("mistake", list(MISTAKES))
def test_each_dangling_reference_is_one_exact_line(mistake):
    edit, message = MISTAKES[mistake]
    config = copy.deepcopy(DEMO)
    edit(config)
    with pytest.raises(InputError) as caught:
        check_references(config)
    assert str(caught.value) == message


@pytest.mark.bad_input
def test_missing_feature_files_are_named_unless_a_rule_provides_them(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    config = copy.deepcopy(DEMO)
    feature_dataset(tmp_path)(config)
    with pytest.raises(InputError) as caught:
        check_references(config)
    # resources/x/ts.csv is left to the download / release rules; the existing file passes
    assert str(caught.value).splitlines() == [
        "config collell2018.datasets.fx.visual.vis.train: file data/tr.csv does not exist",
        "config collell2018.datasets.fx.split_file: file data/split.txt does not exist",
    ]


@pytest.mark.bad_input
def test_every_problem_gets_its_line():
    config = copy.deepcopy(DEMO)
    MISTAKES["collell-run"][0](config)
    MISTAKES["pixie-benchmark"][0](config)
    with pytest.raises(InputError) as caught:
        check_references(config)
    assert str(caught.value).splitlines() == [
        MISTAKES["collell-run"][1],
        MISTAKES["pixie-benchmark"][1],
    ]


def test_check_config_validates_then_checks_references():
    config = yaml.safe_load((ROOT / "config/config.yaml").read_text())
    del config["vision"]["sift"]["step"]
    config["pixie"]["benchmarks"] = ["men"]
    with pytest.raises(InputError, match=r"^pixie\.benchmarks: men not in `benchmarks`$"):
        check_config(config, SCHEMA)
    assert config["vision"]["sift"]["step"] == 8  # defaults were filled in first
    config["pixie"]["benchmarks"] = ["bogus_name"]
    with pytest.raises(InputError, match=r"config key pixie\.benchmarks\.0"):
        check_config(config, SCHEMA)  # a schema mistake is reported before references
