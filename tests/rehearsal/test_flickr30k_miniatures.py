"""The miniature caption_datasets.zip is laid out as Karpathy's (three JSON files, his field order
and numbering), its captions are real English, and the project's reader builds Flickr30K."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import cv2
import pytest
from project_paths import STAMPS

if not STAMPS.is_dir():
    pytest.skip("Debian package tuxpaint-stamps-default is not installed", allow_module_level=True)

import miniature_flickr30k as flickr30k  # noqa: E402  (needs the stamps)
import miniature_stamps  # noqa: E402
from miniature_files import FULL_URLS as URLS  # noqa: E402
from miniature_files import served_file

from crossmodal.data.public_data import build_flickr30k  # noqa: E402

FLICKR_KEYS = ["sentids", "imgid", "sentences", "split", "filename"]
COCO_KEYS = ["filepath", "sentids", "filename", "imgid", "split", "sentences", "cocoid"]
SENTENCE_KEYS = ["tokens", "raw", "imgid", "sentid"]


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("flickr30k")
    flickr30k.write_flickr30k(root / "served", root / "resources", URLS)
    return served_file(root / "served", URLS[flickr30k.KEY]), root / "resources"


@pytest.fixture(scope="module")
def documents(written) -> dict[str, tuple[str, dict]]:
    with zipfile.ZipFile(written[0]) as archive:
        texts = {name: archive.read(name).decode("ascii") for name in archive.namelist()}
    return {name: (text, json.loads(text)) for name, text in texts.items()}


def test_archive_holds_the_three_json_files_as_json_dump_wrote_them(written, documents):
    assert written[0].name == "caption_datasets.zip"
    with zipfile.ZipFile(written[0]) as archive:
        assert archive.namelist() == [
            "dataset_coco.json", "dataset_flickr30k.json", "dataset_flickr8k.json"]  # fmt: skip
        assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    for name, (text, document) in documents.items():
        assert "\n" not in text and json.dumps(document) == text  # json.dump's layout, in order
        assert list(document) == ["images", "dataset"]
        assert document["dataset"] == name[len("dataset_") : -len(".json")]


def test_flickr30k_entries_follow_karpathys_schema(documents):
    images = documents["dataset_flickr30k.json"][1]["images"]
    assert len(images) == flickr30k.N_IMAGES
    assert [i["filename"] for i in images] == sorted(i["filename"] for i in images)
    splits = [i["split"] for i in images]
    assert {s: splits.count(s) for s in set(splits)} == {"train": 80, "val": 20, "test": 20}
    captions = set(miniature_stamps.stamp_table()["caption"].dropna())
    for imgid, image in enumerate(images):
        assert list(image) == FLICKR_KEYS and image["imgid"] == imgid
        assert re.fullmatch(r"\d{6,10}\.jpg", image["filename"])
        assert image["sentids"] == list(range(5 * imgid, 5 * imgid + 5))
        raws = [s["raw"] for s in image["sentences"]]
        assert len(set(raws)) == 5 and raws[0] in captions  # the stamp's own description
        for sentence, sentid in zip(image["sentences"], image["sentids"], strict=True):
            assert list(sentence) == SENTENCE_KEYS
            assert (sentence["imgid"], sentence["sentid"]) == (imgid, sentid)
            assert sentence["tokens"] == re.findall(r"[a-z0-9]+", sentence["raw"].lower())


def test_other_datasets_have_their_own_names(documents):
    for image in documents["dataset_coco.json"][1]["images"]:
        assert list(image) == COCO_KEYS
        assert image["filename"] == f"COCO_{image['filepath']}_{image['cocoid']:012d}.jpg"
        assert image["split"] in {"train", "val", "test", "restval"}
        assert [s["sentid"] for s in image["sentences"]] == image["sentids"]
    for image in documents["dataset_flickr8k.json"][1]["images"]:
        assert list(image) == FLICKR_KEYS
        assert re.fullmatch(r"\d+_[0-9a-f]{10}\.jpg", image["filename"])


def test_images_are_photo_sized_jpegs(written, documents):
    folder = written[1] / flickr30k.IMAGES_DIR
    names = [i["filename"] for i in documents["dataset_flickr30k.json"][1]["images"]]
    assert sorted(p.name for p in folder.iterdir()) == names
    for name in names[:10]:
        image = cv2.imread(str(folder / name))
        assert image is not None and max(image.shape[:2]) == 500


def test_writing_the_archive_twice_gives_the_same_bytes(written, tmp_path):
    flickr30k.write_archive(tmp_path, URLS)
    assert served_file(tmp_path, URLS[flickr30k.KEY]).read_bytes() == written[0].read_bytes()


def test_project_reader_builds_the_tables(written):
    images, captions = build_flickr30k([written[0]], str(written[1] / flickr30k.IMAGES_DIR))
    assert len(images) == flickr30k.N_IMAGES and len(captions) == 5 * flickr30k.N_IMAGES
    assert all(Path(p).is_file() for p in images["path"])
    assert captions["caption_id"].is_unique
