"""The miniature NUS-WIDE archives are laid out as the real ones, row-aligned, with real images
and enough positives of every studied concept; the project's reader takes them."""

from __future__ import annotations

import hashlib
import re
import zipfile
from pathlib import Path

import cv2
import pytest
from project_paths import STAMPS

if not STAMPS.is_dir():
    pytest.skip("Debian package tuxpaint-stamps-default is not installed", allow_module_level=True)

import miniature_nuswide as nuswide  # noqa: E402  (needs the stamps)
from miniature_files import FULL_URLS as URLS  # noqa: E402
from miniature_files import served_file
from miniature_nuswide_labels import CONCEPTS81, STUDIED  # noqa: E402

from crossmodal.data.public_data import build_nuswide  # noqa: E402


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("nuswide")
    nuswide.write_nuswide(root / "served", root / "resources", URLS)
    return root / "served", root / "resources"


def _archive(served: Path, key: str) -> Path:
    return served_file(served, URLS[key])


def _lines(served: Path, key: str, member: str) -> list[str]:
    """A member's lines, each checked to end in CRLF."""
    with zipfile.ZipFile(_archive(served, key)) as archive:
        data = archive.read(member).decode("ascii")
    assert data.endswith("\r\n") and "\n" not in data.replace("\r\n", "")
    return data[:-2].split("\r\n")


def test_archives_hold_the_real_member_paths(written):
    served, _ = written
    expected = {
        "nuswide_imagelist": {f"ImageList/{n}.txt" for n in
                              ("Imagelist", "TrainImagelist", "TestImagelist")},
        "nuswide_tags": {f"NUS_WID_Tags/{n}" for n in (
            "All_Tags.txt", "Final_Tag_List.txt", "TagList1k.txt", "AllTags1k.txt",
            "AllTags81.txt", "Train_Tags1k.dat", "Test_Tags1k.dat", "Train_Tags81.txt",
            "Test_Tags81.txt")},
        "nuswide_concepts": {"ConceptsList/Concepts81.txt"},
        "nuswide_groundtruth": {f"Groundtruth/AllLabels/Labels_{c}.txt" for c in CONCEPTS81}
        | {f"Groundtruth/TrainTestLabels/Labels_{c}_{s}.txt" for c in CONCEPTS81
           for s in ("Train", "Test")},
    }  # fmt: skip
    for key, members in expected.items():
        path = _archive(served, key)
        assert path.name == URLS[key].rsplit("/", 1)[1]
        with zipfile.ZipFile(path) as archive:
            assert archive.testzip() is None
            files = {n for n in archive.namelist() if not n.endswith("/")}
            assert files == members
            assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_lists_are_row_aligned_with_the_image_list(written):
    served, resources = written
    images = _lines(served, "nuswide_imagelist", "ImageList/Imagelist.txt")
    assert len(images) == nuswide.N_IMAGES == len(set(images))
    pattern = re.compile(r"C:\\ImageData\\Flickr\\([a-z_]+)\\(\d{4,5})_(\d{8,10})\.jpg")
    relative = []
    for line in images:
        match = pattern.fullmatch(line)
        assert match, line
        relative.append(line[len("C:\\ImageData\\Flickr\\") :])
        assert len(match[2]) == (5 if "_" in match[1] else 4)
        image = cv2.imread(str(resources / "nuswide_images/Flickr" / match[1] / f"{match[2]}_"
                               f"{match[3]}.jpg"))  # fmt: skip
        assert image is not None and max(image.shape[:2]) == 500
    assert relative == sorted(relative, key=lambda r: r.split("\\"))
    train = _lines(served, "nuswide_imagelist", "ImageList/TrainImagelist.txt")
    test = _lines(served, "nuswide_imagelist", "ImageList/TestImagelist.txt")
    assert sorted(train + test) == sorted(relative) and not set(train) & set(test)
    assert train == [r for r in relative if r in set(train)]  # the image list's order
    tags = _lines(served, "nuswide_tags", "NUS_WID_Tags/All_Tags.txt")
    assert [t.split(" ")[0] for t in tags] == [r.rsplit("_", 1)[1][:-4] for r in relative]
    for concept in CONCEPTS81:
        column = _lines(
            served, "nuswide_groundtruth", f"Groundtruth/AllLabels/Labels_{concept}.txt"
        )
        assert len(column) == len(images) and set(column) <= {"0", "1"}
        assert "1" in column  # every concept has an example
        for split, names in (("Train", train), ("Test", test)):
            member = f"Groundtruth/TrainTestLabels/Labels_{concept}_{split}.txt"
            part = _lines(served, "nuswide_groundtruth", member)
            assert part == [column[relative.index(n)] for n in names]
    assert _lines(served, "nuswide_concepts", "ConceptsList/Concepts81.txt") == list(CONCEPTS81)


def test_studied_concepts_can_be_cross_validated_in_both_splits(written):
    served, _ = written
    for concept in STUDIED:
        for split in ("Train", "Test"):
            member = f"Groundtruth/TrainTestLabels/Labels_{concept}_{split}.txt"
            column = _lines(served, "nuswide_groundtruth", member)
            assert column.count("1") >= 10 and column.count("0") >= 10, (concept, split)


def test_dictionary_holds_the_tags_on_two_images(written):
    served, _ = written
    dictionary = _lines(served, "nuswide_tags", "NUS_WID_Tags/Final_Tag_List.txt")
    assert dictionary == sorted(set(dictionary))
    lines = _lines(served, "nuswide_tags", "NUS_WID_Tags/All_Tags.txt")
    counts: dict[str, int] = {}
    for line in lines:
        for tag in set(line.split(" ")[1:]):
            counts[tag] = counts.get(tag, 0) + 1
    assert all(counts[t] >= 2 for t in dictionary)
    assert {t for t, n in counts.items() if n >= 2} - set(dictionary)  # non-words stay raw
    top = _lines(served, "nuswide_tags", "NUS_WID_Tags/TagList1k.txt")
    matrix = _lines(served, "nuswide_tags", "NUS_WID_Tags/AllTags1k.txt")
    assert set(top) <= set(dictionary) and len(matrix) == len(lines)
    assert {len(row.split(" ")) for row in matrix} == {len(top)}


def test_writing_archives_twice_gives_the_same_bytes(written, tmp_path):
    served, _ = written
    nuswide.write_archives(tmp_path / "served", URLS)
    for key in nuswide.KEYS:
        first, again = _archive(served, key), _archive(tmp_path / "served", key)
        assert (
            hashlib.sha256(first.read_bytes()).digest()
            == hashlib.sha256(again.read_bytes()).digest()
        )


def test_project_reader_builds_the_tables(written):
    served, resources = written
    paths = [_archive(served, key) for key in nuswide.KEYS]
    images, concepts = build_nuswide(paths, str(resources / "nuswide_images/Flickr"))
    assert len(images) == nuswide.N_IMAGES and images["split"].value_counts().to_dict() == {
        "train": 150, "test": 150}  # fmt: skip
    assert all(Path(p).is_file() for p in images["path"])
    assert list(concepts.columns) == ["image_id", *CONCEPTS81]
    assert images["tags"].map(len).sum() > nuswide.N_IMAGES
