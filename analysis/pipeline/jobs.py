"""A briefing job, checked before anything runs: parameters, destination, notebook, claims file,
external folder, and the cache key that says whether the destination already holds it.

Everything here runs in the parent process and imports no pandas, no Jupyter machinery: a
cache hit or a bad argument costs a fraction of a second. :mod:`analysis.pipeline.steps` runs
the job.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from analysis import config
from analysis.data.external.reference import validation_files
from analysis.outline import NUMBERS_CALL, SECTION_KEYS
from analysis.params import range_slug, resolve_range
from analysis.pipeline.buildcache import is_cached  # noqa: F401 - where it was (tests, callers)
from analysis.protocol import safe_file_name


@dataclass(frozen=True)
class Job:
    """One briefing to build: validated parameters, destination and cache key."""

    start: date
    end: date
    dest: Path
    notebook: Path
    data_dir: Path | None
    external_dir: Path | None
    parameters: dict[str, str]
    key: str
    as_of: date | None = None
    claims_file: Path | None = None  # --claims (absolute); None: the data directory's claims.yaml

    @property
    def slug(self) -> str:
        return self.dest.name


# Cache
# --------------------------------------------------------------------------------------------

_CODE_SUFFIXES = {".py", ".j2", ".css", ".json"}


def cache_key(
    parameters: dict[str, str],
    notebook: Path,
    data_dir: Path | None,
    external_dir: Path | None = None,
    claims_file: Path | None = None,
) -> str:
    """sha256 over everything a briefing depends on: code, template, notebook, parameters (with
    the as-of date), the curated data (hashed), the claims file (hashed) and the external data
    (path, size and mtime of each file), and the validation series beside the project (the same)."""
    from analysis.data.external import fingerprint
    from analysis.sidecars import file_digest, file_digests

    h = hashlib.sha256()
    if claims_file is not None:
        h.update(b"claims:" + file_digest(Path(claims_file)).encode())
    h.update(json.dumps(parameters, sort_keys=True).encode())
    h.update(str(Path(data_dir).resolve() if data_dir else "bundled").encode())
    h.update(json.dumps(fingerprint(external_dir)).encode())
    for path in validation_files():
        stat = path.stat()
        h.update(f"validation:{path}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    for path in sorted(config.PACKAGE_DIR.rglob("*")):
        if path.suffix in _CODE_SUFFIXES and "__pycache__" not in path.parts and path.is_file():
            h.update(str(path.relative_to(config.PACKAGE_DIR)).encode())
            h.update(path.read_bytes())
    h.update(notebook.read_bytes())
    h.update(json.dumps(file_digests(data_dir), sort_keys=True).encode())
    return h.hexdigest()


#: What a briefing directory may hold; anything else means --out points at someone's files.
BRIEFING_FILES = {
    "briefing.pdf",
    "briefing.ipynb",
    "figures.json",
    "manifest.json",
    "briefing.failed.ipynb",
    "briefing.html",
}
#: ... and the folder of the data files the notebook writes beside the PDF (its payload's files).
BRIEFING_DATA_DIR = "data"


def resolve_destination(out: Path) -> Path:
    """The absolute destination of ``--out``, refused up front (exit 2, nothing written) when
    building there could harm anything: ``..`` and symlinks are resolved first (a link to a
    briefing folder is followed, so the link stays and its target gets the briefing); a dangling
    link, a file, a folder holding anything but a briefing (or a ``briefing.pdf`` that is not a
    plain file), or a parent that is not a folder are refused."""
    from analysis.params import ParameterError

    shown = ascii(str(out))[1:-1][:200]
    dest = Path(os.path.abspath(Path(out).expanduser()))  # noqa: PTH100 - lexical: collapses ..
    check_name_length(dest)
    if dest.is_symlink():
        if not dest.exists():
            raise ParameterError("out", f"'{shown}' is a dangling symbolic link")
        dest = dest.resolve()
    if dest.name in ("", ".", ".."):
        raise ParameterError("out", f"'{shown}' names no folder a briefing can be written to")
    ancestor = dest.parent
    while not ancestor.exists():
        if ancestor.is_symlink():
            raise ParameterError("out", f"'{shown}' goes through a dangling symbolic link")
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        raise ParameterError("out", f"'{shown}': {ancestor} is a file, not a folder")
    if dest.parent.exists():
        dest = dest.parent.resolve() / dest.name
    check_destination(dest)
    return dest


#: Longest folder name a briefing may have: the file system's 255 bytes less what the build adds
#: for the folders beside it (``.<name>.scratch-<pid>``); and the longest path.
NAME_MAX_BYTES, PATH_MAX_BYTES = 255 - len("..scratch-4194304"), 4000


def check_name_length(dest: Path) -> None:
    """Refuse (exit 2, before any work) a destination whose name, or a folder of whose path, is
    too long for the file system, or whose whole path is."""
    from analysis.params import ParameterError

    limits = [(p, 255) for p in dest.parent.parts] + [(dest.name, NAME_MAX_BYTES)]
    for part, limit in limits:
        if len(os.fsencode(part)) > limit:
            raise ParameterError(
                "out",
                f"the name '{ascii(part)[1:-1][:40]}...' is too long "
                f"({len(os.fsencode(part))} bytes; at most {limit})",
            )
    if len(os.fsencode(str(dest))) > PATH_MAX_BYTES:
        raise ParameterError("out", f"the path is too long (more than {PATH_MAX_BYTES} bytes)")


def check_destination(dest: Path) -> None:
    """Refuse a destination that is a file, or a directory holding anything but a briefing
    (each file plain, none a folder or a link): the atomic swap replaces the whole directory."""
    from analysis.params import ParameterError

    shown = ascii(str(dest))[1:-1][:200]
    if dest.exists() and not dest.is_dir():
        raise ParameterError("out", f"'{shown}' is a file; expected a new or briefing directory")
    if dest.is_dir():
        entries = sorted(dest.iterdir())
        data = dest / BRIEFING_DATA_DIR
        if data in entries and data.is_dir() and not data.is_symlink():
            entries.remove(data)  # the data files of the payload: data/<name>.csv, nothing else
            entries += [p for p in sorted(data.iterdir()) if not _payload_file(p)]
        foreign = [p.name for p in entries if p.name not in BRIEFING_FILES]
        odd = [
            p.name
            for p in entries
            if p.name in BRIEFING_FILES and (p.is_symlink() or not p.is_file())
        ]
        if foreign or odd:
            names = ", ".join(ascii(n)[1:-1] for n in (foreign + odd)[:3])
            raise ParameterError(
                "out",
                f"'{shown}' holds other files ({names}); "
                "expected a new, empty or earlier briefing directory",
            )


def _payload_file(path: Path) -> bool:
    """A plain file the notebook's payload may have written under ``data/``."""
    return (
        safe_file_name(f"{BRIEFING_DATA_DIR}/{path.name}")
        and path.is_file()
        and not path.is_symlink()
    )


def destination_name(start: date, end: date, as_of: date, data_end: date, variant: str = "") -> str:
    """``<start>_<end>``, or ``<start>_<end>_as-of-<date>`` for a briefing written as of a day
    before the end of the data; a run whose options change its content (:func:`variant_name`)
    goes into a folder of its own, ``<variant>/<start>_<end>...``, so that it never replaces the
    standard briefing (nor is read as its previous edition)."""
    slug = range_slug(start, end)
    name = slug if as_of == data_end else f"{slug}_as-of-{as_of:%Y-%m-%d}"
    return f"{variant}/{name}" if variant else name


def _label(path: Path) -> str:
    """A file or folder name as a folder-name part: letters, digits, ``.``, ``_``, ``-``."""
    stem = path.stem if path.suffix in (".yaml", ".yml", ".ipynb") else path.name
    return re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip(".-")[:40] or "unnamed"


def variant_name(
    *,
    claims_file: Path | None = None,
    data_dir: Path | None = None,
    notebook: Path | None = None,
    external_dir: Path | None = None,
) -> str:
    """The folder of a run whose options change the briefing's content, named after them:
    ``claims-<file>`` (``--claims``), ``data-<folder>`` (``--data-dir`` other than the bundled
    data), ``notebook-<file>`` (``--notebook`` other than the briefing's), ``external-<folder>``
    (``--external-dir`` other than the default), joined by ``_``; "" for a standard run."""
    from analysis.data.external import external_dir as default_external

    parts = []
    if claims_file is not None:
        parts.append(f"claims-{_label(Path(claims_file))}")
    if data_dir is not None and Path(data_dir).resolve() != config.DATA_DIR.resolve():
        parts.append(f"data-{_label(Path(data_dir))}")
    if notebook is not None and Path(notebook).resolve() != config.BRIEFING_NOTEBOOK.resolve():
        parts.append(f"notebook-{_label(Path(notebook))}")
    if external_dir is not None and Path(external_dir).resolve() != default_external().resolve():
        parts.append(f"external-{_label(Path(external_dir))}")
    return "_".join(parts)


def check_notebook(notebook: Path) -> Path:
    """The notebook must be a readable JSON notebook that follows the briefing's outline
    (:func:`check_outline`); a one-line error otherwise, which never quotes the file
    (``--notebook /etc/passwd`` prints nothing of it)."""
    from analysis.params import ParameterError

    shown = ascii(str(notebook))[1:-1][:200]
    if not notebook.is_file():
        what = "is not a file" if notebook.exists() else "does not exist"
        raise ParameterError("notebook", f"'{shown}' {what}")
    try:
        with notebook.open("rb") as fh:
            raw = fh.read(NOTEBOOK_MAX_BYTES + 1)
        if len(raw) > NOTEBOOK_MAX_BYTES:
            raise ValueError("larger than 50 MB")
        doc = json.loads(raw.decode("utf-8"))
        if not isinstance(doc, dict) or not isinstance(doc.get("cells"), list):
            raise ValueError("no 'cells' list")
    except OSError as exc:
        raise ParameterError("notebook", f"'{shown}' cannot be read: {exc.strerror}") from None
    except (ValueError, UnicodeDecodeError) as exc:
        reason = "not UTF-8" if isinstance(exc, UnicodeDecodeError) else "not JSON"
        if isinstance(exc, ValueError) and not isinstance(exc, json.JSONDecodeError):
            reason = str(exc)
        raise ParameterError(
            "notebook", f"'{shown}' is not a Jupyter notebook (.ipynb JSON): {reason}"
        ) from None
    problem = check_outline(doc["cells"])
    if problem:
        raise ParameterError("notebook", f"'{shown}' {problem}")
    return notebook.absolute()


_SECTION_CALL = re.compile(r"\bbrief\.section\(([^)]*)\)")


def check_outline(cells: list) -> str | None:
    """What keeps ``cells`` from making a briefing, in a few words, or None: every section of
    :data:`~analysis.outline.SECTION_KEYS` called once (``brief.section("key")``), in that
    order, and ``brief.numbers()`` as the last code cell. Read as text: the parent never imports
    the section registry (pandas)."""
    code = [
        (number, _code(cell))
        for number, cell in enumerate(cells, 1)
        if isinstance(cell, dict) and cell.get("cell_type") == "code"
    ]
    calls: dict[str, int] = {}
    for number, text in code:
        for match in _SECTION_CALL.finditer(text):
            key = match.group(1).strip()
            quoted = len(key) >= 2 and key[0] == key[-1] and key[0] in "'\""
            shown = ascii(key[1:-1] if quoted else key)[1:-1][:40]
            if not quoted:
                return f"cell {number}: brief.section({shown}) names no section in quotes"
            key = key[1:-1]
            if key not in SECTION_KEYS:
                known = ", ".join(SECTION_KEYS)
                return f"cell {number}: unknown section '{shown}' (the registry's: {known})"
            if key in calls:
                return f"calls section '{key}' twice (cells {calls[key]} and {number})"
            calls[key] = number
    missing = [k for k in SECTION_KEYS if k not in calls]
    if missing:
        more = f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
        return f'never calls brief.section("{missing[0]}"){more}: every registered section is called once'
    ordered = sorted(calls, key=calls.get)
    for want, got in zip(SECTION_KEYS, ordered, strict=True):
        if want != got:
            return (
                f"calls section '{got}' (cell {calls[got]}) before '{want}' (cell {calls[want]}): "
                "sections are called in the registry's order"
            )
    last = next((text for _, text in reversed(code) if text.strip()), "")
    if last.strip() != NUMBERS_CALL:
        return (
            f"does not end with a {NUMBERS_CALL} cell (its output carries the quoted numbers, "
            "the data files and the title block)"
        )
    return None


def _code(cell: dict) -> str:
    """A code cell's source without comments."""
    source = cell.get("source", "")
    text = "".join(source) if isinstance(source, list) else str(source)
    return "\n".join(line.split("#", 1)[0].rstrip() for line in text.splitlines())


NOTEBOOK_MAX_BYTES = 50 * 1024 * 1024


def prepare(
    start: object = None,
    end: object = None,
    *,
    out_dir: Path | None = None,
    data_dir: Path | None = None,
    notebook: Path | None = None,
    external_dir: Path | None = None,
    as_of: object = None,
    claims_file: Path | None = None,
) -> Job:
    """Validate the parameters and work out the destination and the cache key (no heavy imports).

    Paths are made absolute here, once, against the current folder."""
    from analysis.params import resolve_as_of
    from analysis.sidecars import data_end_date

    data_dir = Path(data_dir).absolute() if data_dir else None
    s, e = resolve_range(start, end, data_dir=data_dir)
    a = resolve_as_of(as_of, e, data_dir=data_dir)
    last = data_end_date(data_dir)
    parameters = {"start": f"{s:%Y-%m-%d}", "end": f"{e:%Y-%m-%d}", "as_of": f"{a:%Y-%m-%d}"}
    notebook_given = notebook is not None
    notebook = check_notebook(Path(notebook or config.BRIEFING_NOTEBOOK))
    external = check_external_dir(external_dir)
    claims = check_claims_file(claims_file or claims_from_environment(), data_dir)
    if out_dir:
        dest = resolve_destination(Path(out_dir))
    else:
        variant = variant_name(
            claims_file=claims,
            data_dir=data_dir,
            notebook=notebook if notebook_given else None,
            external_dir=external if external_dir is not None else None,
        )
        dest = resolve_destination(config.REPORTS_DIR / destination_name(s, e, a, last, variant))
    key = cache_key(parameters, notebook, data_dir, external, claims)
    return Job(s, e, dest, notebook, data_dir, external, parameters, key, a, claims)


def check_external_dir(external_dir: Path | None) -> Path:
    """``--external-dir`` (or the default) as an absolute path; a given path that is missing or
    not a folder is refused (exit 2) rather than silently replaced by the bundled data."""
    from analysis.data.external import external_dir as default_external
    from analysis.params import ParameterError

    if external_dir is None:
        return default_external().absolute()
    path = Path(external_dir).expanduser().absolute()
    if not path.is_dir():
        shown = ascii(str(external_dir))[1:-1][:200]
        what = "is not a folder" if path.exists() else "does not exist"
        raise ParameterError("external-dir", f"'{shown}' {what}")
    return path


def claims_from_environment() -> Path | None:
    """``$BRIEFING_CLAIMS_FILE`` set by the user (not empty): taken exactly as ``--claims FILE``
    (which wins when both are given), resolved against the current folder."""
    value = os.environ.get("BRIEFING_CLAIMS_FILE", "").strip()
    return Path(value).expanduser().absolute() if value else None


def check_claims_file(claims_file: Path | None, data_dir: Path | None = None) -> Path | None:
    """``--claims``, or the data directory's claims files: read and checked here, so that a bad
    file is exit 2 before any kernel starts. Returns the ``--claims`` path (absolute), or None
    for the default (hashed with the data files)."""
    from analysis.model.claims_file import load_claims

    if claims_file is None:
        for name in config.DEFAULT_CLAIMS_FILES:
            path = (data_dir or config.DATA_DIR) / name
            if name == config.DEFAULT_CLAIMS_FILES[0] or path.is_file():
                load_claims(path, data_dir)
        return None
    path = Path(claims_file).expanduser().absolute()
    load_claims(path, data_dir)  # DataError: one line naming the file, the claim and the field
    return path


# --------------------------------------------------------------------------------------------
