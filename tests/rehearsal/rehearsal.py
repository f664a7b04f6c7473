"""The full-config rehearsal: config/full.yaml's whole DAG on miniature files in the public
formats, fetched by the real download rules from an HTTP server on 127.0.0.1.

:func:`write_public_files` writes, under a working directory, the files every download of
full.yaml would fetch (``served/<host>/<path>`` of the real URL, so each keeps its real base name)
and the ones a user places by hand (``resources/``: the NUS-WIDE and Flickr30K images, Collell &
Moens's release), each group by its ``miniature_*`` module. :func:`rehearsal_config` is full.yaml
with ``downloads`` pointing at the server (SHA-256 and size of the served file) and the scale
settings of ``scale.yaml`` shrunk; nothing else differs. Run by tests/rehearsal/test_rehearsal.py
and by ``make bench``; by hand (write, serve, build :data:`TARGETS`)::

    PYTHONPATH=tests .venv/bin/python tests/rehearsal/rehearsal.py /tmp/rehearsal
"""

from __future__ import annotations

import argparse
import copy
import functools
import http.server
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml
from miniature_files import FULL_URLS, served_file
from snakemake_runner import build_command

from crossmodal.core.io import sha256_file

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parents[1]
FULL_CONFIG = PROJECT / "config/full.yaml"
SCALE = HERE / "scale.yaml"
#: What the rehearsal builds: every table and figure of the report, and the full config's other
#: products, so that every download is fetched and used: the Tux Paint visual vocabulary with
#: full.yaml's `words.features` (ResNet-152, VGG-19, BoVW), the GloVe conversion, and GoogLeNet's
#: features (configured in full.yaml, used by no table).
TARGETS = (
    "run_report",
    "results/tables/tuxpaint/data_summary.csv",
    "results/text/pretrained/glove.npy",
    "results/features/tuxpaint/cnn_googlenet_pool5.npy",
)


def full_config() -> dict[str, Any]:
    """config/full.yaml as loaded."""
    return yaml.safe_load(FULL_CONFIG.read_text())


def write_public_files(root: Path) -> None:
    """The miniature of every file full.yaml downloads (``root/served``) or expects placed by
    hand (``root/resources``), one group per ``miniature_*`` module."""
    import miniature_collell
    import miniature_flickr30k
    import miniature_models
    import miniature_nuswide
    import miniature_text
    import miniature_wordsim

    served, resources = root / "served", root / "resources"
    for write in (
        miniature_wordsim.write_wordsim,
        miniature_text.write_text,
        miniature_models.write_cnn_models,
        miniature_collell.write_collell,
        miniature_nuswide.write_nuswide,
        miniature_flickr30k.write_flickr30k,
    ):
        started = time.perf_counter()
        write(served, resources, FULL_URLS)
        print(f"{write.__name__}: {time.perf_counter() - started:.1f} s", flush=True)


def _merge(base: dict[str, Any], overrides: Mapping[str, Any], where: str = "") -> None:
    """Overwrite ``base`` with ``overrides`` in place, refusing keys ``base`` does not have (a
    rehearsal setting the full config lacks would rehearse another workflow)."""
    for key, value in overrides.items():
        if key not in base:
            raise KeyError(f"scale.yaml: {where}{key} is not a key of config/full.yaml")
        if isinstance(value, Mapping) and isinstance(base[key], dict):
            _merge(base[key], value, f"{where}{key}.")
        else:
            base[key] = copy.deepcopy(value)


def rehearsal_config(served: Path, base_url: str) -> dict[str, Any]:
    """full.yaml with every download served from ``base_url`` (pinned to the served file's
    SHA-256 and size) and the scale settings of scale.yaml."""
    config = full_config()
    _merge(config, yaml.safe_load(SCALE.read_text()))
    for key, entry in config["downloads"].items():
        local = served_file(served, entry["url"])
        if not local.is_file():
            raise FileNotFoundError(f"no miniature for download {key!r}: {local}")
        entry.update(
            url=f"{base_url}/{local.relative_to(served).as_posix()}",
            sha256=sha256_file(local),
            size=local.stat().st_size,
        )
    return config


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (http.server's name)
        """Requests are not logged: the download jobs log what they fetch."""


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """An HTTP server on 127.0.0.1 (a free port) serving ``directory``; yields its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def write_rehearsal_config(root: Path, base_url: str) -> Path:
    """``root/rehearsal.yaml``: :func:`rehearsal_config` for the files under ``root/served``."""
    path = root / "rehearsal.yaml"
    config = rehearsal_config(root / "served", base_url)
    header = f"# Written by {Path(__file__).relative_to(PROJECT)}: config/full.yaml, rehearsed.\n"
    path.write_text(header + yaml.safe_dump(config, sort_keys=False))
    return path


def main(argv: list[str] | None = None) -> int:
    """Prepare the rehearsal in a directory, serve it, build :data:`TARGETS`, print the wall
    time."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path, help="working directory (created)")
    parser.add_argument("--cores", type=int, default=2)
    args = parser.parse_args(argv)
    args.root.mkdir(parents=True, exist_ok=True)
    write_public_files(args.root)
    with serve(args.root / "served") as base_url:
        config = write_rehearsal_config(args.root, base_url)
        started = time.perf_counter()
        command = build_command(args.root, config, *TARGETS, cores=args.cores)
        run = subprocess.run(command, check=False)
        print(f"rehearsal: exit {run.returncode}, {time.perf_counter() - started:.0f} s")
    return run.returncode


if __name__ == "__main__":
    sys.exit(main())
