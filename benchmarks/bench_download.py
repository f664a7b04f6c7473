"""Download speed: crossmodal.data.download.fetch against ``urllib.request.urlretrieve`` followed by
a separate ``hashlib.sha256`` pass (what a shell script does: wget, then sha256sum), on the same
file from the same local HTTP server (127.0.0.1) in the same run.

    .venv/bin/python benchmarks/bench_download.py [MB]      # default 256

Prints the machine, both wall times (best of three) and the ratio; both must give the same bytes.
The point is the overhead of verification and progress logging on an ordinary transfer; resuming
saves the whole re-transfer after an interruption, which no timing here shows.
"""

import functools
import hashlib
import http.server
import os
import platform
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from crossmodal.data.download import DownloadSpec, fetch


def best_of(runs, work):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def main():
    megabytes = int(sys.argv[1]) if len(sys.argv) > 1 else 256
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        served = root / "served"
        served.mkdir()
        payload = served / "file.bin"
        with open(payload, "wb") as handle:
            for _ in range(megabytes):
                handle.write(os.urandom(1 << 20))
        digest = hashlib.sha256(payload.read_bytes()).hexdigest()
        handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=served)
        http.server.SimpleHTTPRequestHandler.log_message = lambda *args: None
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_address[1]}/file.bin"
        ours_dest, peer_dest = root / "ours.bin", root / "peer.bin"

        def ours():
            ours_dest.unlink(missing_ok=True)
            fetch(DownloadSpec(url, digest, megabytes << 20), ours_dest)

        def peer():
            peer_dest.unlink(missing_ok=True)
            urllib.request.urlretrieve(url, peer_dest)
            sha = hashlib.sha256()
            with open(peer_dest, "rb") as handle:
                while chunk := handle.read(1 << 20):
                    sha.update(chunk)
            assert sha.hexdigest() == digest

        t_ours, t_peer = best_of(3, ours), best_of(3, peer)
        server.shutdown()
        assert ours_dest.read_bytes() == peer_dest.read_bytes()
    print(f"machine: {platform.machine()} {platform.processor() or ''} {os.cpu_count()} cores,")
    print(f"  Python {platform.python_version()}, {platform.platform()}")
    print(f"file: {megabytes} MiB over 127.0.0.1")
    print(f"crossmodal fetch (stream + sha256 + atomic rename): {t_ours:.2f} s")
    print(f"urlretrieve + sha256 pass:                          {t_peer:.2f} s")
    print(f"ours / peer: {t_ours / t_peer:.2f}")


if __name__ == "__main__":
    main()
