"""The build cache: a finished briefing is served again only when every file of it is as written.

``manifest.json`` records the sha256 of every file of the briefing (``files_sha256``: the PDF,
the HTML page, the executed notebook, ``figures.json``, the data files) and its own
(``manifest_sha256``: of the manifest without that entry, as sorted JSON). A rerun with the same
cache key is a hit only when all of them match; a briefing whose files do not is *damaged*: it
is rebuilt, and the build says so once. A briefing written before the digests were recorded is
simply rebuilt (it cannot be checked). Pandas-free: the parent reads it on every run.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

from analysis import integrity

MANIFEST = "manifest.json"
PDF = "briefing.pdf"

State = Literal["hit", "miss", "damaged"]


def _self_digest(manifest: dict[str, Any]) -> str:
    body = {k: v for k, v in manifest.items() if k != "manifest_sha256"}
    return integrity.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode("utf-8"))


def write_manifest(directory: Path, manifest: dict[str, Any]) -> dict[str, Any]:
    """Write ``manifest.json`` into ``directory`` with the sha256 of every other file there
    (sub-folders included) and its own; returns what was written."""
    files = sorted(p for p in Path(directory).rglob("*") if p.is_file() and p.name != MANIFEST)
    sealed = dict(manifest)
    sealed["files_sha256"] = {
        p.relative_to(directory).as_posix(): integrity.sha256(p.read_bytes()) for p in files
    }
    sealed["manifest_sha256"] = _self_digest(sealed)
    (Path(directory) / MANIFEST).write_text(
        json.dumps(sealed, indent=2, ensure_ascii=False), encoding="utf-8"
    )
    return sealed


def cache_state(dest: Path, key: str) -> State:
    """``hit``: ``dest`` holds a complete briefing built with ``key``, every file as written;
    ``miss``: no briefing, another key, or one without digests; ``damaged``: a briefing of this
    key whose manifest or files do not match their sha256 (or are not regular files)."""
    try:
        raw = integrity.read_regular(Path(dest) / MANIFEST)
    except FileNotFoundError:
        return "miss"
    except (OSError, integrity.Damaged):
        return "damaged" if (Path(dest) / PDF).exists() else "miss"
    try:
        manifest = json.loads(raw.decode("utf-8"))
    except ValueError:
        return "miss"  # not a manifest of ours: no key to compare with
    if not isinstance(manifest, dict) or manifest.get("cache_key") != key:
        return "miss"
    files = manifest.get("files_sha256")
    if "manifest_sha256" not in manifest and files is None:
        return "miss"  # written before briefings recorded their digests: rebuilt, not damaged
    if manifest.get("manifest_sha256") != _self_digest(manifest) or not isinstance(files, dict):
        return "damaged"
    if PDF not in files:
        return "damaged"
    for name, digest in files.items():
        path = Path(dest) / str(name)
        if ".." in Path(str(name)).parts or not isinstance(digest, str):
            return "damaged"
        try:
            integrity.read_checked(path, digest)
        except (OSError, integrity.Damaged):
            return "damaged"
    return "hit"


def is_cached(dest: Path, key: str) -> bool:
    """True when ``dest`` holds a complete briefing built with the same cache key, every file
    matching its sha256 (:func:`cache_state`)."""
    return cache_state(dest, key) == "hit"
