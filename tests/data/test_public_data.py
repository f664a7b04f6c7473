"""NUS-WIDE and Flickr30K parsers on small archives written here in the published layouts.

Formats, as documented on the NUS-WIDE page (lms.comp.nus.edu.sg/.../NUS-WIDE.html) and read by
public loaders: ImageList/Imagelist.txt holds Windows paths ``C:\\ImageData\\Flickr\\<query>\\
<nnnn>_<flickr id>.jpg`` (CRLF), Train/TestImagelist.txt the same paths per split (often without
the drive prefix), NUS_WID_Tags/Final_Tag_List.txt the 5,018-tag dictionary one tag a line,
All_Tags.txt one line per image (Flickr photo id, then its raw tags; TagList1k.txt and
AllTags1k.txt, the 1,000-tag subset, are in the same zip and not read),
ConceptsList/Concepts81.txt one concept a line and
Groundtruth/AllLabels/Labels_<concept>.txt one 0/1 a line. Karpathy's dataset_flickr30k.json
(cs.stanford.edu/people/karpathy/deepimagesent/) is ``{"images": [{"filename", "imgid",
"split", "sentids", "sentences": [{"tokens", "raw", "imgid", "sentid"}]}], "dataset":
"flickr30k"}``.
"""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from snakemake_runner import demo_config, run_snakemake, write_config

from crossmodal.core.errors import InputError
from crossmodal.data.public_data import (
    IMAGE_COLUMNS,
    build_flickr30k,
    build_nuswide,
    write_image_table,
)

_NUSWIDE_ZIPS = ("ImageList.zip", "NUS_WID_Tags.zip", "ConceptsList.zip", "Groundtruth.zip")
IMAGES = [
    ("actor", "0001_2124494179", "train"),
    ("actor", "0002_174174086", "test"),
    ("airport", "0001_10045912", "train"),
    ("zebra", "0417_93883421", "test"),
]
TAGS = ["portrait", "man", "plane", "sky", "animal"]
TAG_ROWS = [[1, 1, 0, 0, 0], [0, 1, 0, 0, 0], [0, 0, 1, 1, 0], [0, 0, 0, 0, 1]]
DICTIONARY = ["portrait", "man", "plane", "sky", "animal", "zebra", "sunset"]
#: All_Tags.txt lines: raw tags, with repeats and words outside the dictionary (left out).
RAW_TAGS = [
    "2124494179      man portrait nikon d200 man",
    "174174086      ",
    "10045912      sky plane   airport",
    "93883421      zebra Zebra africa sunset",
]
EXPECTED_TAGS = [["man", "portrait"], [], ["sky", "plane"], ["zebra", "sunset"]]
CONCEPTS = {"airport": [0, 0, 1, 0], "person": [1, 1, 0, 0], "zebra": [0, 0, 0, 1]}


def _windows(query: str, stem: str, drive: bool = True) -> str:
    prefix = "C:\\ImageData\\Flickr\\" if drive else ""
    return f"{prefix}{query}\\{stem}.jpg"


def _nuswide_archives(tmp_path: Path, **overrides: str) -> list[Path]:
    """Four zips as on the original server, members under their folder names."""
    lines = "\r\n".join(_windows(q, s) for q, s, _ in IMAGES) + "\r\n"
    train = "\r\n".join(_windows(q, s, False) for q, s, sp in IMAGES if sp == "train") + "\r\n"
    test = "\r\n".join(_windows(q, s, False) for q, s, sp in IMAGES if sp == "test") + "\r\n"
    members = {
        "ImageList.zip": {
            "ImageList/Imagelist.txt": lines,
            "ImageList/TrainImagelist.txt": train,
            "ImageList/TestImagelist.txt": test,
        },
        "NUS_WID_Tags.zip": {
            "NUS_WID_Tags/TagList1k.txt": "\n".join(TAGS) + "\n",
            "NUS_WID_Tags/AllTags1k.txt": "".join(
                "\t".join(str(v) for v in row) + "\t\n" for row in TAG_ROWS
            ),
            "NUS_WID_Tags/Final_Tag_List.txt": "\r\n".join(DICTIONARY) + "\r\n",
            "NUS_WID_Tags/All_Tags.txt": "\n".join(RAW_TAGS) + "\n",
        },
        "ConceptsList.zip": {"ConceptsList/Concepts81.txt": "\n".join(CONCEPTS) + "\n"},
        "Groundtruth.zip": {
            f"Groundtruth/AllLabels/Labels_{c}.txt": "\n".join(map(str, v)) + "\n"
            for c, v in CONCEPTS.items()
        }
        | {
            # the per-split files have other base names and must not be confused with these
            f"Groundtruth/TrainTestLabels/Labels_{c}_Train.txt": "0\n"
            for c in CONCEPTS
        },
    }
    paths = []
    for archive, files in members.items():
        path = tmp_path / archive
        with zipfile.ZipFile(path, "w") as handle:
            for member, text in files.items():
                handle.writestr(member, overrides.get(member.rsplit("/", 1)[-1], text))
        paths.append(path)
    return paths


def test_nuswide_tables_follow_the_row_aligned_lists(tmp_path):
    images, concepts = build_nuswide(_nuswide_archives(tmp_path), images_dir="/data/Flickr")
    assert tuple(images.columns) == IMAGE_COLUMNS
    assert list(images["image_id"]) == [f"{q}/{s}" for q, s, _ in IMAGES]
    assert list(images["split"]) == [sp for _, _, sp in IMAGES]
    assert list(images["category"]) == [q for q, _, _ in IMAGES]
    assert images.loc[0, "path"] == "/data/Flickr/actor/0001_2124494179.jpg"
    # the image's tags of the 5,018-tag dictionary, in their order on its line, once each
    assert [list(t) for t in images["tags"]] == EXPECTED_TAGS
    assert images["word"].isna().all() and images["caption"].isna().all()
    assert list(concepts.columns) == ["image_id", *CONCEPTS]
    assert list(concepts["image_id"]) == list(images["image_id"])
    for concept, values in CONCEPTS.items():
        assert concepts[concept].dtype == bool
        assert list(concepts[concept]) == [bool(v) for v in values]


def test_nuswide_tables_round_trip_through_parquet_with_typed_columns(tmp_path):
    images, _ = build_nuswide(_nuswide_archives(tmp_path))
    write_image_table(images, tmp_path / "images.parquet")
    schema = pq.read_schema(tmp_path / "images.parquet")
    assert pa.types.is_list(schema.field("tags").type)
    assert pa.types.is_string(schema.field("tags").type.value_type)
    assert schema.field("word").type in (pa.string(), pa.large_string())
    back = pd.read_parquet(tmp_path / "images.parquet")
    assert [list(t) for t in back["tags"]] == [list(t) for t in images["tags"]]
    assert images.loc[0, "path"] == "actor/0001_2124494179.jpg"  # no images_dir: relative


def test_flickr30k_empty_tag_lists_are_still_typed_as_strings(tmp_path):
    images, captions = build_flickr30k([_karpathy(tmp_path)])
    write_image_table(images, tmp_path / "images.parquet")
    write_image_table(captions, tmp_path / "captions.parquet")
    assert pq.read_schema(tmp_path / "images.parquet").field("tags").type == pa.list_(pa.string())
    back = pd.read_parquet(tmp_path / "captions.parquet")
    assert list(back.loc[0, "tokens"]) == list(captions.loc[0, "tokens"])


def test_nuswide_one_zip_release_is_read_the_same(tmp_path):
    """The later release packs Groundtruth and ConceptsList in one NUS-WIDE.zip."""
    (tmp_path / "server").mkdir()
    separate = _nuswide_archives(tmp_path / "server")
    merged = tmp_path / "NUS-WIDE.zip"
    with zipfile.ZipFile(merged, "w") as out:
        for path in separate:
            if path.name in ("Groundtruth.zip", "ConceptsList.zip"):
                with zipfile.ZipFile(path) as src:
                    for member in src.namelist():
                        out.writestr("NUS-WIDE/" + member, src.read(member))
    others = [p for p in separate if p.name in ("ImageList.zip", "NUS_WID_Tags.zip")]
    a_images, a_concepts = build_nuswide(separate)
    b_images, b_concepts = build_nuswide([merged, *others])
    assert a_images.equals(b_images) and a_concepts.equals(b_concepts)


def test_nuswide_row_count_mismatch_names_the_member(tmp_path):
    short = "\n".join(RAW_TAGS[:3]) + "\n"
    archives = _nuswide_archives(tmp_path, **{"All_Tags.txt": short})
    with pytest.raises(InputError, match=r"All_Tags\.txt: 3 lines, expected 4"):
        build_nuswide(archives)
    longer = "\n".join([*RAW_TAGS, "555 sky"]) + "\n"
    archives = _nuswide_archives(tmp_path, **{"All_Tags.txt": longer})
    with pytest.raises(InputError, match=r"All_Tags\.txt: more lines than the 4 images"):
        build_nuswide(archives)


@pytest.mark.bad_input
def test_nuswide_tag_line_of_another_photo_is_an_error(tmp_path):
    """Row order is the only key: a line naming another photo means the lists are misaligned."""
    swapped = "\n".join([RAW_TAGS[1], RAW_TAGS[0], *RAW_TAGS[2:]]) + "\n"
    archives = _nuswide_archives(tmp_path, **{"All_Tags.txt": swapped})
    with pytest.raises(InputError, match=r"All_Tags\.txt: line 1 is photo 174174086, but image 1"):
        build_nuswide(archives)


def test_nuswide_dictionary_listing_a_tag_twice_is_an_error(tmp_path):
    archives = _nuswide_archives(tmp_path, **{"Final_Tag_List.txt": "sky\nman\nsky\n"})
    with pytest.raises(InputError, match=r"Final_Tag_List\.txt: a tag is listed twice"):
        build_nuswide(archives)


def test_nuswide_image_outside_the_split_lists_is_an_error(tmp_path):
    test_only = _windows("actor", "0002_174174086", False) + "\r\n"
    archives = _nuswide_archives(tmp_path, **{"TestImagelist.txt": test_only})
    with pytest.raises(InputError, match="in neither TrainImagelist.txt nor TestImagelist.txt"):
        build_nuswide(archives)


@pytest.mark.bad_input
def test_nuswide_missing_member_names_the_file_and_the_archives(tmp_path):
    archives = [p for p in _nuswide_archives(tmp_path) if p.name != "ConceptsList.zip"]
    with pytest.raises(InputError, match=r"Concepts81\.txt: not found in .*Groundtruth\.zip"):
        build_nuswide(archives)


def _karpathy(tmp_path: Path, member: str = "dataset_flickr30k.json") -> Path:
    images = []
    sentid = 0
    for imgid, (stem, split) in enumerate([("1000092795", "train"), ("1007129816", "test")]):
        sentences = []
        for k in range(5):
            raw = f"Caption {k} of image {stem} ."
            tokens = raw.lower().rstrip(" .").split()
            sentences.append({"tokens": tokens, "raw": raw, "imgid": imgid, "sentid": sentid})
            sentid += 1
        images.append(
            {
                "filename": f"{stem}.jpg",
                "imgid": imgid,
                "split": split,
                "sentids": [s["sentid"] for s in sentences],
                "sentences": sentences,
            }
        )
    path = tmp_path / "caption_datasets.zip"
    with zipfile.ZipFile(path, "w") as handle:
        handle.writestr(member, json.dumps({"images": images, "dataset": "flickr30k"}))
        handle.writestr("dataset_coco.json", json.dumps({"images": [], "dataset": "coco"}))
    return path


def test_flickr30k_tables_keep_karpathy_split_and_all_captions(tmp_path):
    images, captions = build_flickr30k([_karpathy(tmp_path)], images_dir="f30k/images/")
    assert tuple(images.columns) == IMAGE_COLUMNS
    assert list(images["image_id"]) == ["1000092795", "1007129816"]
    assert list(images["split"]) == ["train", "test"]
    assert images.loc[1, "path"] == "f30k/images/1007129816.jpg"
    assert images.loc[0, "caption"] == "Caption 0 of image 1000092795 ."
    assert len(captions) == 10 and list(captions["caption_id"]) == list(range(10))
    assert (captions.groupby("image_id")["caption_id"].count() == 5).all()
    assert set(captions.loc[captions["image_id"] == "1007129816", "split"]) == {"test"}
    assert list(captions.loc[0, "tokens"]) == ["caption", "0", "of", "image", "1000092795"]


def test_flickr30k_reads_dataset_json_of_the_per_dataset_zip(tmp_path):
    images, _ = build_flickr30k([_karpathy(tmp_path, member="flickr30k/dataset.json")])
    assert len(images) == 2


@pytest.mark.bad_input
def test_flickr30k_malformed_entry_names_the_file_and_the_image(tmp_path):
    path = tmp_path / "dataset_flickr30k.json"
    path.write_text(json.dumps({"images": [{"filename": "1.jpg", "split": "train"}]}))
    with pytest.raises(InputError, match=r"dataset_flickr30k\.json: image #0 lacks"):
        build_flickr30k([path])


@pytest.mark.workflow
def test_snakemake_builds_both_public_tables_from_downloaded_files(tmp_path):
    """The rules find the archives where the download rule puts them (here already in place and
    verified, so nothing is fetched) and write the tables."""
    config = demo_config()
    config["downloads"] = {}
    sources = {}
    for path in [*_nuswide_archives(tmp_path), _karpathy(tmp_path)]:
        name = path.stem.lower().replace("_", "")
        target = tmp_path / "work" / "resources" / name / path.name
        target.parent.mkdir(parents=True)
        shutil.copy(path, target)
        config["downloads"][name] = {"url": f"https://example.org/{path.name}", "sha256": None}
        sources[path.name] = name
    config["datasets"]["nus"] = {
        "source": "nuswide",
        "archives": [sources[n] for n in _NUSWIDE_ZIPS],
    }
    config["datasets"]["flickr"] = {
        "source": "flickr30k",
        "archives": [sources["caption_datasets.zip"]],
    }
    configfile = write_config(tmp_path, config, "test.yaml")
    targets = ["results/data/nus/concepts.parquet", "results/data/flickr/captions.parquet"]
    result = run_snakemake(tmp_path / "work", configfile, *targets)
    assert result.returncode == 0, result.stderr[-3000:]
    images = pd.read_parquet(tmp_path / "work/results/data/nus/images.parquet")
    assert list(images["image_id"]) == [f"{q}/{s}" for q, s, _ in IMAGES]
    captions = pd.read_parquet(tmp_path / "work/results/data/flickr/captions.parquet")
    assert len(captions) == 10
