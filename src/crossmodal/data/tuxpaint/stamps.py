"""Finding the stamp files below a stamps folder and reading their English descriptions."""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from crossmodal.core.errors import InputError

IMAGE_SUFFIXES = (".png", ".svg")


@dataclass(frozen=True)
class StampFile:
    """One stamp: its image, description file and where it sits below the stamps folder."""

    image_id: str
    path: Path
    caption_path: Path | None


def find_stamps(
    stamps_dir: str | os.PathLike[str], exclude: Sequence[str] = ()
) -> tuple[list[StampFile], dict[str, int]]:
    """List the stamps below ``stamps_dir`` in path order, with counts of what was left out.

    A stamp shipped both as SVG and PNG is one drawing in two formats; the PNG is kept so that
    the two never land on different sides of the train/test split. ``<name>_mirror`` images are
    the hand-drawn mirror views Tux Paint shows when a stamp is flipped, not stamps of their
    own. ``exclude`` holds glob patterns on the image id (path without suffix), e.g.
    ``symbols/alphabets/*`` for letters, which depict no visual word.
    """
    root = Path(stamps_dir)
    if not root.is_dir():
        raise InputError(f"{root}: stamps folder not found (datasets: stamps_dir)")
    by_id: dict[str, list[Path]] = {}
    # os.walk, unlike Path.rglob before Python 3.13, follows symlinked folders: a subset of the
    # stamps assembled from links is a stamps folder too.
    files = (
        Path(top) / name for top, _, names in os.walk(root, followlinks=True) for name in names
    )
    for path in sorted(files):
        if path.suffix.lower() in IMAGE_SUFFIXES and path.is_file():
            image_id = path.relative_to(root).with_suffix("").as_posix()
            by_id.setdefault(image_id, []).append(path)
    if not by_id:
        raise InputError(f"{root}: no PNG or SVG stamps found (datasets: stamps_dir)")
    skipped = {"svg_with_png_twin": 0, "mirror_views": 0, "excluded": 0}
    stamps = []
    for image_id, paths in sorted(by_id.items()):
        if image_id.endswith("_mirror") and image_id[: -len("_mirror")] in by_id:
            skipped["mirror_views"] += len(paths)
            continue
        if any(fnmatch.fnmatchcase(image_id, pattern) for pattern in exclude):
            skipped["excluded"] += len(paths)
            continue
        pngs = [p for p in paths if p.suffix.lower() == ".png"]
        skipped["svg_with_png_twin"] += len(paths) - 1 if pngs else 0
        path = (pngs or paths)[0]
        caption = path.with_suffix(".txt")
        stamps.append(StampFile(image_id, path.resolve(), caption if caption.is_file() else None))
    return stamps, skipped


def read_caption(path: Path | None) -> str | None:
    """The English description: the first line of the stamp's ``.txt`` (the other lines are
    ``<locale>=`` translations), or None when there is no file or the line is empty."""
    if path is None:
        return None
    try:
        with open(path, encoding="utf-8") as handle:
            first = handle.readline().strip()
    except UnicodeDecodeError as err:
        raise InputError(f"{path}: description is not UTF-8 ({err})") from err
    return first or None
