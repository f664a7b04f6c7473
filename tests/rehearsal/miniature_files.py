"""Writing the rehearsal's served files: where a URL's file goes, and zip archives and derived
numbers that come out byte for byte the same in every run (a fixed member time stamp, a keyed
hash instead of Python's per-process ``hash``), so that SHA-256 pins stay valid."""

from __future__ import annotations

import hashlib
import urllib.parse
import zipfile
from collections.abc import Iterable
from pathlib import Path

import yaml

#: config/full.yaml's downloads: key -> the real URL each miniature stands in for.
FULL_URLS: dict[str, str] = {
    key: entry["url"]
    for key, entry in yaml.safe_load(
        (Path(__file__).resolve().parents[2] / "config/full.yaml").read_text()
    )["downloads"].items()
}
#: Time stamp of every zip member: the earliest a zip can hold, so that bytes never vary.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def served_file(served: Path, url: str) -> Path:
    """Where the rehearsal server keeps the file of ``url``: ``served/<netloc>/<path>``, so that
    the downloaded file keeps its real base name."""
    parts = urllib.parse.urlsplit(url)
    return served / parts.netloc / parts.path.lstrip("/")


def write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` at ``path``, creating its folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def write_zip(path: Path, members: Iterable[tuple[str, bytes]], folders: bool = True) -> None:
    """A deflated zip of ``(name, bytes)`` members in the given order, every entry stamped
    ``ZIP_TIME``. With ``folders`` each member's folders get their own entries first, as
    archivers that zip a folder write them (Windows' and Info-ZIP's both do)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    written: set[str] = set()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in members:
            parents = name.split("/")[:-1]
            for depth in range(1, len(parents) + 1) if folders else ():
                folder = "/".join(parents[:depth]) + "/"
                if folder not in written:
                    written.add(folder)
                    info = zipfile.ZipInfo(folder, ZIP_TIME)
                    info.external_attr = 0o40755 << 16 | 0x10
                    archive.writestr(info, b"")
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o100644 << 16
            archive.writestr(info, data, compresslevel=9)


def stable_number(text: str, low: int, high: int) -> int:
    """A number in ``[low, high)`` fixed by ``text`` (BLAKE2b of its UTF-8 bytes)."""
    digest = hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest()
    return low + int.from_bytes(digest, "big") % (high - low)
