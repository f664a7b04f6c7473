"""Fetching the public data sets over HTTP(S): resumable, retried, and verified by SHA-256.

Multi-GB archives (GloVe, NUS-WIDE features, CNN weights) come over connections that drop. A
transfer therefore goes to ``<file>.part`` and continues with a ``Range`` request after an
interruption instead of starting over, and a server that ignores ``Range`` simply restarts it. A
file only takes its final name once its SHA-256 equals the pinned one, so Snakemake never sees a
truncated or substituted download as done, and a file already in place with the right hash is
never fetched or touched again.
"""

from __future__ import annotations

import logging
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path

import requests
import urllib3

from crossmodal.core.errors import InputError
from crossmodal.core.io import sha256_file
from crossmodal.core.logs import progress_bar

log = logging.getLogger(__name__)

#: HTTP statuses worth retrying: the server is busy or failing, the URL itself may be fine.
_RETRYABLE_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})
_CONTENT_RANGE = re.compile(r"bytes (\d+)-(\d+)/(\d+|\*)")
_CHUNK = 1 << 20


class _Retryable(Exception):
    """A transfer that failed in a way another attempt may fix (dropped connection, 5xx)."""


@dataclass(frozen=True)
class DownloadSpec:
    """One pinned file: where it comes from and what it must hash to."""

    url: str
    sha256: str | None
    size: int | None = None


def _part_path(dest: Path) -> Path:
    return dest.with_name(dest.name + ".part")


def _expected_total(response: requests.Response, offset: int) -> int | None:
    """Total file size the server promises, from Content-Range (206) or Content-Length (200)."""
    if response.status_code == 206:
        match = _CONTENT_RANGE.fullmatch(response.headers.get("Content-Range", ""))
        if match and match.group(3) != "*":
            return int(match.group(3))
    length = response.headers.get("Content-Length")
    if length is None or not length.isdigit():
        return None
    return int(length) + (offset if response.status_code == 206 else 0)


def _range_start(response: requests.Response) -> int | None:
    match = _CONTENT_RANGE.fullmatch(response.headers.get("Content-Range", ""))
    return int(match.group(1)) if match else None


def _transfer(session: requests.Session, spec: DownloadSpec, part: Path, timeout: float) -> None:
    """One attempt: append to ``part`` from where it ends, or rewrite it when the server sends
    the whole file. Returns only when ``part`` holds as many bytes as the server promised."""
    offset = part.stat().st_size if part.exists() else 0
    # identity: the bytes on disk must be the file itself, whatever encoding the server prefers
    headers = {"Accept-Encoding": "identity"}
    if offset:
        headers["Range"] = f"bytes={offset}-"
    try:
        response = session.get(spec.url, headers=headers, stream=True, timeout=timeout)
    except (requests.ConnectionError, requests.Timeout) as err:
        raise _Retryable(f"connection failed ({err})") from err
    with response:
        status = response.status_code
        if status == 416 and offset:
            # Nothing left to send: the partial file is already complete (or longer than the
            # file now is, which the checksum will reveal).
            return
        if status in _RETRYABLE_STATUS:
            raise _Retryable(f"HTTP {status} {response.reason}")
        if status not in (200, 206):
            raise InputError(
                f"{spec.url}: HTTP {status} {response.reason} (expected 200; check the URL in "
                "config `downloads`)"
            )
        if status == 206 and _range_start(response) != offset:
            log.warning("%s: server resumed at the wrong offset; starting over", spec.url)
            part.unlink()
            raise _Retryable("inconsistent Content-Range")
        if status == 200 and offset:
            log.info("%s: server ignored the Range request; restarting from byte 0", spec.url)
            offset = 0
        total = _expected_total(response, offset)
        if spec.size is not None and total is not None and total != spec.size:
            raise InputError(
                f"{spec.url}: server offers {total} bytes but config `downloads` pins "
                f"size {spec.size}; the file has changed upstream"
            )
        total = total if total is not None else spec.size
        received = offset
        progress = progress_bar(
            total=total,
            initial=offset,
            unit="B",
            unit_scale=True,
            desc=part.name.removesuffix(".part"),
        )
        try:
            with open(part, "ab" if offset else "wb") as handle:
                for chunk in response.raw.stream(_CHUNK, decode_content=False):
                    handle.write(chunk)
                    received += len(chunk)
                    progress.update(len(chunk))
        except (requests.RequestException, urllib3.exceptions.HTTPError) as err:
            raise _Retryable(f"transfer interrupted at byte {received} ({err})") from err
        finally:
            progress.close()
    if total is not None and received < total:
        raise _Retryable(f"transfer ended at byte {received} of {total}")


def fetch(
    spec: DownloadSpec,
    dest: str | os.PathLike[str],
    *,
    attempts: int = 5,
    backoff: float = 2.0,
    timeout: float = 60.0,
    session: requests.Session | None = None,
) -> Path:
    """Download ``spec.url`` to ``dest`` unless a file with the pinned SHA-256 is already there.

    A spec without a SHA-256 is refused before any network access: unverifiable data never
    enters the workflow.

    Transient failures (dropped connections, short bodies, HTTP 5xx/429) are retried up to
    ``attempts`` times, waiting ``backoff * 2**k`` seconds, each time resuming the partial file.
    A 4xx answer fails at once. A completed file whose hash differs is deleted and reported; if it
    was assembled from a resumed partial file it is first fetched once more from scratch, since a
    stale ``.part`` from an older upstream version would explain the mismatch.
    """
    dest = Path(dest)
    if spec.sha256 is None:
        raise InputError(
            f"{spec.url}: no sha256 is pinned for this file in config `downloads` (no public "
            "checksum is known), so it is not fetched; download it yourself, check it, and put "
            f"its sha256 in the config (or place the checked file at {dest})"
        )
    expected = spec.sha256.lower()
    if dest.is_file():
        if sha256_file(dest) == expected:
            log.info("%s: present with the pinned sha256; not fetched", dest)
            return dest
        log.warning("%s: present but its sha256 differs; fetching it again", dest)
        dest.unlink()
    dest.parent.mkdir(parents=True, exist_ok=True)
    part = _part_path(dest)
    own_session = session is None
    session = session or requests.Session()
    last_error = ""
    try:
        for attempt in range(attempts):
            if attempt:
                delay = backoff * 2 ** (attempt - 1)
                log.info("%s: attempt %d of %d in %.1f s", spec.url, attempt + 1, attempts, delay)
                time.sleep(delay)
            resumed = part.exists() and part.stat().st_size > 0
            try:
                _transfer(session, spec, part, timeout)
            except _Retryable as err:
                last_error = str(err)
                log.warning("%s: %s", spec.url, err)
                continue
            actual = sha256_file(part)
            if actual == expected:
                os.replace(part, dest)
                log.info("%s: fetched and verified (sha256 %s)", dest, actual)
                return dest
            part.unlink()
            if resumed:
                last_error = f"sha256 {actual} after resuming a partial file"
                log.warning("%s: %s; fetching from scratch", spec.url, last_error)
                continue
            raise InputError(
                f"{spec.url}: sha256 mismatch: expected {expected}, got {actual} "
                "(the bad file was removed)"
            )
    finally:
        if own_session:
            session.close()
    raise InputError(f"{spec.url}: download failed after {attempts} attempts ({last_error})")
