"""crossmodal.data.download against a local HTTP server (127.0.0.1 only) that honours Range requests
and can drop a connection mid-body, ignore Range, or serve other bytes than the pinned ones."""

from __future__ import annotations

import hashlib
import http.server
import os
import threading
from pathlib import Path

import pytest
from snakemake_runner import demo_config, run_snakemake, write_config

from crossmodal.core.errors import InputError
from crossmodal.data.download import DownloadSpec, fetch

PAYLOAD = os.urandom(300_000)


class _Handler(http.server.BaseHTTPRequestHandler):
    """Serves ``server.files``; ``server.cut`` maps a path to a byte count after which the first
    response for it is cut off; paths in ``server.ignore_range`` always get the whole file."""

    def log_message(self, *args: object) -> None:  # keep pytest output clean
        pass

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        server = self.server
        server.requests.append((self.path, self.headers.get("Range")))
        body = server.files.get(self.path)
        if body is None:
            self.send_error(404, "Not Found")
            return
        start = 0
        range_header = self.headers.get("Range")
        if range_header and self.path not in server.ignore_range:
            start = int(range_header.removeprefix("bytes=").split("-")[0])
            if start >= len(body):
                self.send_response(416)
                self.send_header("Content-Range", f"bytes */{len(body)}")
                self.end_headers()
                return
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{len(body) - 1}/{len(body)}")
        else:
            self.send_response(200)
        self.send_header("Content-Length", str(len(body) - start))
        self.end_headers()
        cut = server.cut.pop(self.path, None)
        if cut is not None:
            self.wfile.write(body[start:cut])
            self.wfile.flush()
            self.close_connection = True
            return
        self.wfile.write(body[start:])


@pytest.fixture
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.files, httpd.cut, httpd.ignore_range, httpd.requests = {}, {}, set(), []
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    httpd.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    yield httpd
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=5)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _fetch(spec: DownloadSpec, dest: Path) -> Path:
    return fetch(spec, dest, attempts=3, backoff=0.0, timeout=10.0)


def test_fetch_writes_the_file_and_leaves_no_partial(server, tmp_path):
    server.files["/data.bin"] = PAYLOAD
    dest = tmp_path / "res" / "data.bin"
    out = _fetch(DownloadSpec(f"{server.url}/data.bin", _sha(PAYLOAD), len(PAYLOAD)), dest)
    assert out == dest
    assert dest.read_bytes() == PAYLOAD
    assert not (tmp_path / "res" / "data.bin.part").exists()


@pytest.mark.bad_input
def test_interrupted_transfer_resumes_with_a_range_request(server, tmp_path):
    server.files["/data.bin"] = PAYLOAD
    server.cut["/data.bin"] = 100_000
    dest = tmp_path / "data.bin"
    _fetch(DownloadSpec(f"{server.url}/data.bin", _sha(PAYLOAD)), dest)
    assert dest.read_bytes() == PAYLOAD
    assert server.requests == [("/data.bin", None), ("/data.bin", "bytes=100000-")]


def test_server_ignoring_range_restarts_from_zero(server, tmp_path):
    server.files["/data.bin"] = PAYLOAD
    server.ignore_range.add("/data.bin")
    dest = tmp_path / "data.bin"
    (tmp_path / "data.bin.part").write_bytes(PAYLOAD[:5000])
    _fetch(DownloadSpec(f"{server.url}/data.bin", _sha(PAYLOAD)), dest)
    assert dest.read_bytes() == PAYLOAD  # not the 5000 stale bytes plus the whole file


@pytest.mark.bad_input
def test_truncated_transfer_is_never_accepted(server, tmp_path):
    """A body shorter than its Content-Length, with no attempt left, is an error, not a file."""
    server.files["/data.bin"] = PAYLOAD
    server.cut["/data.bin"] = 1000
    dest = tmp_path / "data.bin"
    with pytest.raises(InputError, match="failed after 1 attempts"):
        fetch(
            DownloadSpec(f"{server.url}/data.bin", _sha(PAYLOAD)),
            dest,
            attempts=1,
            backoff=0.0,
            timeout=10.0,
        )
    assert not dest.exists()
    assert (tmp_path / "data.bin.part").stat().st_size == 1000  # kept for the next resume


@pytest.mark.bad_input
def test_checksum_mismatch_removes_the_bad_file_and_names_both_hashes(server, tmp_path):
    server.files["/data.bin"] = PAYLOAD
    wrong = _sha(b"something else")
    dest = tmp_path / "data.bin"
    with pytest.raises(InputError) as err:
        _fetch(DownloadSpec(f"{server.url}/data.bin", wrong), dest)
    message = str(err.value)
    assert f"{server.url}/data.bin" in message
    assert wrong in message and _sha(PAYLOAD) in message
    assert not dest.exists() and not (tmp_path / "data.bin.part").exists()


def test_good_cached_file_is_neither_fetched_nor_touched(server, tmp_path):
    dest = tmp_path / "data.bin"
    dest.write_bytes(PAYLOAD)
    os.utime(dest, (1_000_000, 1_000_000))
    _fetch(DownloadSpec(f"{server.url}/data.bin", _sha(PAYLOAD)), dest)
    assert server.requests == []
    assert dest.stat().st_mtime == 1_000_000


@pytest.mark.bad_input
def test_http_404_fails_at_once_naming_the_url(server, tmp_path):
    with pytest.raises(InputError, match=r"/missing\.bin: HTTP 404"):
        _fetch(DownloadSpec(f"{server.url}/missing.bin", _sha(b"")), tmp_path / "m.bin")
    assert len(server.requests) == 1  # a 4xx is not retried


def test_pinned_size_differing_from_the_server_fails_before_transfer(server, tmp_path):
    server.files["/data.bin"] = PAYLOAD
    with pytest.raises(InputError, match="pins size 12"):
        _fetch(DownloadSpec(f"{server.url}/data.bin", _sha(PAYLOAD), 12), tmp_path / "d.bin")


@pytest.mark.bad_input
def test_unpinned_file_is_refused_without_network(server, tmp_path):
    server.files["/data.bin"] = PAYLOAD
    with pytest.raises(InputError, match="no sha256 is pinned"):
        _fetch(DownloadSpec(f"{server.url}/data.bin", None), tmp_path / "d.bin")
    assert server.requests == []


@pytest.mark.workflow
def test_snakemake_download_rule_fetches_into_resources(server, tmp_path):
    server.files["/words.txt"] = b"alpha beta\n"
    config = demo_config()
    config["downloads"] = {
        "tiny": {"url": f"{server.url}/words.txt", "sha256": _sha(b"alpha beta\n"), "size": 11}
    }
    configfile = write_config(tmp_path, config, "test.yaml")
    result = run_snakemake(tmp_path, configfile, "resources/tiny/words.txt")
    assert result.returncode == 0, result.stderr[-3000:]
    assert (tmp_path / "resources" / "tiny" / "words.txt").read_bytes() == b"alpha beta\n"
    assert "fetched and verified" in (tmp_path / "logs/download/tiny/words.txt.log").read_text()
