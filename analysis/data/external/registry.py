"""The registry of the full public datasets (``sources.yaml``) and the recorded checksums.

:func:`load_registry` reads and expands the registry (``{year}``/``{yyyymm}`` templates),
:func:`select` picks entries by name or dataset; ``SHA256SUMS`` in the download folder records
the checksum of every first download (:func:`read_sums`, :func:`write_sums`). Standard library
and PyYAML only: ``--list`` and the tests need no network library.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

REGISTRY = Path(__file__).with_name("sources.yaml")
SUMS_FILE = "SHA256SUMS"
BLOCK = 1 << 20


@dataclass(frozen=True)
class Source:
    """One upstream file of the registry (after expanding ``{year}``/``{yyyymm}``)."""

    name: str
    dataset: str
    url: str
    path: str
    size: int | None = None
    sha256: str | None = None
    mutable: bool = False
    default: bool = True


# --------------------------------------------------------------------------------------------
# Registry
# --------------------------------------------------------------------------------------------


def _expansions(entry: dict) -> list[dict[str, str]]:
    if "years" in entry:
        first, last = (int(y) for y in entry["years"])
        return [{"year": str(y), "suffix": str(y)} for y in range(first, last + 1)]
    if "months" in entry:
        (y0, m0), (y1, m1) = (map(int, str(m).split("-")) for m in entry["months"])
        out = []
        for k in range(y0 * 12 + m0 - 1, y1 * 12 + m1):
            yyyymm = f"{k // 12:04d}{k % 12 + 1:02d}"
            out.append({"yyyymm": yyyymm, "suffix": yyyymm})
        return out
    return [{}]


def load_registry(path: Path | str = REGISTRY) -> list[Source]:
    """The registry's entries, templates expanded. Raises ``ValueError`` on a malformed entry."""
    import yaml  # a project dependency; only the registry needs it

    with Path(path).open(encoding="utf-8") as fh:
        doc = yaml.safe_load(fh) or {}
    sources: list[Source] = []
    for i, entry in enumerate(doc.get("sources") or [], start=1):
        missing = [k for k in ("name", "url", "path") if not entry.get(k)]
        if missing:
            raise ValueError(f"{path}: entry {i} has no {', '.join(missing)}")
        sha = entry.get("sha256")
        if sha is not None and (
            len(str(sha)) != 64 or not set(str(sha)) <= set("0123456789abcdef")
        ):
            raise ValueError(
                f"{path}: entry {entry['name']!r}: sha256 must be 64 lowercase hex "
                "digits, or null when not known"
            )
        if Path(entry["path"]).is_absolute() or ".." in Path(entry["path"]).parts:
            raise ValueError(f"{path}: entry {entry['name']!r}: path must stay inside --dest")
        for values in _expansions(entry):
            suffix = values.pop("suffix", None)
            sources.append(
                Source(
                    name=f"{entry['name']}_{suffix}" if suffix else entry["name"],
                    dataset=str(entry.get("dataset") or entry["name"]),
                    url=str(entry["url"]).format(**values),
                    path=str(entry["path"]).format(**values),
                    size=int(entry["size"]) if entry.get("size") is not None else None,
                    sha256=str(sha) if sha else None,
                    mutable=bool(entry.get("mutable", False)),
                    default=bool(entry.get("default", True)),
                )
            )
    names = [s.name for s in sources]
    dups = sorted({n for n in names if names.count(n) > 1})
    if dups:
        raise ValueError(f"{path}: duplicate names {dups}")
    return sources


def select(sources: Sequence[Source], only: Sequence[str] | None) -> list[Source]:
    """The default entries, or those named (entry name, template name or dataset) by ``only``."""
    if not only:
        return [s for s in sources if s.default]
    wanted = [w for item in only for w in item.split(",") if w]

    def named(s: Source, w: str) -> bool:
        return w in (s.name, s.dataset) or s.name.startswith(f"{w}_")

    unknown = [w for w in wanted if not any(named(s, w) for s in sources)]
    if unknown:
        names = sorted({s.dataset for s in sources} | {s.name for s in sources if s.default})
        raise ValueError(
            f"--only {', '.join(unknown)}: not in the registry (try one of "
            f"{', '.join(names)}, or --list)"
        )
    return [s for s in sources if any(named(s, w) for w in wanted)]


# --------------------------------------------------------------------------------------------
# Checksums
# --------------------------------------------------------------------------------------------


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(BLOCK):
            digest.update(block)
    return digest.hexdigest()


def read_sums(dest: Path) -> dict[str, str]:
    """``{relative path: sha256}`` from ``<dest>/SHA256SUMS`` (empty when absent)."""
    sums: dict[str, str] = {}
    path = dest / SUMS_FILE
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            digest, _, name = line.partition("  ")
            if digest and name:
                sums[name.strip()] = digest.strip()
    return sums


def write_sums(dest: Path, sums: dict[str, str]) -> None:
    tmp = dest / f"{SUMS_FILE}.tmp"
    tmp.write_text("".join(f"{sums[k]}  {k}\n" for k in sorted(sums)), encoding="utf-8")
    tmp.replace(dest / SUMS_FILE)


__all__ = [
    "BLOCK",
    "REGISTRY",
    "SUMS_FILE",
    "Source",
    "load_registry",
    "read_sums",
    "select",
    "sha256_of",
    "write_sums",
]
