"""``make data``: download the full public datasets into ``data/external/`` (optional).

Usage::

    python -m analysis.data.external.download [--dest DIR] [--only NAME ...] [--url-base URL]
                                         [--refresh] [--list] [--timeout S] [--registry FILE]

The registry ``analysis/external/sources.yaml`` lists every upstream file: name, URL, where it
goes, and its size and SHA-256 where known. Behaviour, standard library only (urllib):

- A file is written to ``<path>.part`` and renamed when complete and verified. A ``.part`` left
  by an interrupted transfer is resumed with an HTTP ``Range`` request (a server that ignores
  Range sends the whole file again, and it is restarted).
- Size and SHA-256 are checked against the registry. Where the registry has no checksum, the
  SHA-256 of the first complete download is recorded in ``<dest>/SHA256SUMS`` (the format of
  ``sha256sum``) and later downloads must match it; ``mutable`` entries (a live page) instead
  replace the recorded value on ``--refresh`` and say so. A mismatch removes the file and the
  error says which check failed, with both values.
- Files already present and matching are skipped (``--refresh`` downloads them again).
- Without network (every request fails to connect) it prints ONE line,
  ``no network: keeping the bundled data (...)``, and exits 0: the bundled data stay in use.
  Other failures (HTTP errors, interrupted or corrupt transfers) are listed, exit status 1.
- ``--url-base URL`` fetches ``URL/<path>`` instead of the upstream URLs (a mirror, or tests).
- Progress is shown on stderr when it is a terminal; a summary line per file goes to stdout.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = ["DownloadError", "NoNetwork", "Source", "fetch", "load_registry", "main", "select"]

REGISTRY = Path(__file__).with_name("sources.yaml")
SUMS_FILE = "SHA256SUMS"
BLOCK = 1 << 20
USER_AGENT = "relations-briefing/0.1 (make data; python-urllib)"


class DownloadError(RuntimeError):
    """One file could not be downloaded or verified; the message says which and why."""


class NoNetwork(DownloadError):
    """A connection could not be opened at all (no route, refused, DNS failure, time-out)."""


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


# --------------------------------------------------------------------------------------------
# One file
# --------------------------------------------------------------------------------------------


def _human(n: float) -> str:
    for unit in ("B", "kB", "MB"):
        if n < 1000:
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1000
    return f"{n:.1f} GB"


def _progress(name: str, done: int, total: int | None, show: bool) -> None:
    if not show:
        return
    pct = f" {100 * done / total:5.1f}%" if total else ""
    of = f" of {_human(total)}" if total else ""
    print(f"\r{name}: {_human(done)}{of}{pct}", end="", file=sys.stderr, flush=True)


def _verify(source: Source, part: Path, expected: str | None, origin: str) -> str:
    """Check size and checksum of a complete ``.part``; remove it and raise on a mismatch."""
    size = part.stat().st_size
    if source.size is not None and size != source.size:
        part.unlink()
        raise DownloadError(
            f"{source.name}: size mismatch, expected {source.size} bytes "
            f"(registry), got {size}; the downloaded file was removed"
        )
    digest = sha256_of(part)
    if expected is not None and digest != expected:
        part.unlink()
        raise DownloadError(
            f"{source.name}: sha256 mismatch, expected {expected} ({origin}), "
            f"got {digest}; the downloaded file was removed"
        )
    return digest


def _open(url: str, offset: int, timeout: float):
    req = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    if offset:
        req.add_header("Range", f"bytes={offset}-")
    try:
        return urllib.request.urlopen(req, timeout=timeout)
    except urllib.error.HTTPError:
        raise
    except urllib.error.URLError as exc:
        raise NoNetwork(
            f"cannot connect to {urllib.parse.urlsplit(url).netloc}: {exc.reason}"
        ) from exc
    except (TimeoutError, ConnectionError) as exc:
        raise NoNetwork(f"cannot connect to {urllib.parse.urlsplit(url).netloc}: {exc}") from exc


def fetch(
    source: Source,
    dest: Path,
    sums: dict[str, str],
    *,
    url: str,
    refresh: bool = False,
    timeout: float = 30.0,
    show_progress: bool = False,
) -> tuple[str, bool]:
    """Download one file (resuming a ``.part``), verify it, record its checksum in ``sums``.

    Returns a one-line summary and whether the network was used (False when the file was
    already present and matching); raises :class:`NoNetwork` or :class:`DownloadError`.
    """
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise DownloadError(f"{source.name}: {url!r} is not an http(s) URL")
    target = dest / source.path
    part = target.with_name(target.name + ".part")
    expected = source.sha256 or sums.get(source.path)
    origin = "registry" if source.sha256 else SUMS_FILE
    if target.exists() and not refresh:
        digest = sha256_of(target)
        if expected is None or digest == expected:
            sums[source.path] = digest
            return f"{source.path}: present ({_human(target.stat().st_size)})", False
        target.unlink()  # corrupt or replaced by hand: fetch it again
    offset = part.stat().st_size if part.exists() else 0
    try:
        resp = _open(url, offset, timeout)
    except urllib.error.HTTPError as exc:
        if exc.code != 416 or not offset:
            raise DownloadError(f"{source.name}: HTTP {exc.code} {exc.reason} for {url}") from exc
        resp = None  # 416: the .part already holds the whole file
    total = None
    if resp is not None:
        with resp:
            if offset and resp.status != 206:
                offset = 0  # the server ignored Range: start again
            elif offset:
                start = resp.headers.get("Content-Range", "").split(" ")[-1].split("-")[0]
                if start != str(offset):
                    raise DownloadError(
                        f"{source.name}: the server resumed at byte {start!r}, "
                        f"not {offset}; delete {part} and run again"
                    )
            length = resp.headers.get("Content-Length")
            total = offset + int(length) if length and length.isdigit() else None
            done = offset
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                with part.open("ab" if offset else "wb") as fh:
                    while block := resp.read(BLOCK):
                        fh.write(block)
                        done += len(block)
                        _progress(source.path, done, total, show_progress)
            except (OSError, http.client.HTTPException) as exc:
                raise DownloadError(
                    f"{source.name}: transfer interrupted after {done} bytes "
                    f"({exc}); run again to resume"
                ) from exc
            finally:
                if show_progress:
                    print(file=sys.stderr)
    got = part.stat().st_size
    if total is not None and got < total:
        raise DownloadError(
            f"{source.name}: incomplete transfer, {got} of {total} bytes; "
            f"the partial file {part.name} is kept: run again to resume"
        )
    recorded = ""
    if source.mutable and refresh and not source.sha256:
        digest = _verify(source, part, None, origin)
        if expected and digest != expected:
            recorded = f", changed upstream (was {expected[:12]}…; {SUMS_FILE} updated)"
    else:
        digest = _verify(source, part, expected, origin)
    if expected is None:
        recorded = f", sha256 recorded in {SUMS_FILE} (first download; later ones must match)"
    part.replace(target)
    sums[source.path] = digest
    resumed = " (resumed)" if offset else ""
    return f"{source.path}: downloaded{resumed} {_human(got)}, verified{recorded}", True


# --------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m analysis.data.external.download",
        description="Download the full public datasets (optional).",
    )
    p.add_argument(
        "--dest", type=Path, help="target folder (default: $BRIEFING_EXTERNAL_DIR or data/external)"
    )
    p.add_argument(
        "--only",
        action="append",
        metavar="NAME",
        help="entry or dataset name (repeatable, or comma-separated)",
    )
    p.add_argument("--url-base", help="fetch URL_BASE/<path> instead of the upstream URLs")
    p.add_argument("--refresh", action="store_true", help="download files already present again")
    p.add_argument("--list", action="store_true", help="list the registry and exit")
    p.add_argument("--timeout", type=float, default=30.0, help="seconds per connection (30)")
    p.add_argument("--registry", type=Path, default=REGISTRY, help=argparse.SUPPRESS)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run the downloader; returns the exit status (0 also when there is no network)."""
    args = _parser().parse_args(argv)
    try:
        sources = select(load_registry(args.registry), args.only)
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.list:
        for s in load_registry(args.registry):
            flag = "" if s.default else "  (only with --only)"
            print(f"{s.name:24} {s.dataset:9} {s.path:28} {s.url}{flag}")
        return 0
    if args.dest is None:
        from analysis.data.external import external_dir

        args.dest = external_dir()
    dest = Path(args.dest)
    sums = read_sums(dest)
    lines: list[str] = []
    errors: list[str] = []
    dead_hosts: set[str] = set()
    contacted = unreachable = 0
    show = sys.stderr.isatty()
    for source in sources:
        url = (
            f"{args.url_base.rstrip('/')}/{urllib.parse.quote(source.path)}"
            if args.url_base
            else source.url
        )
        host = urllib.parse.urlsplit(url).netloc
        if host in dead_hosts:
            errors.append(f"{source.name}: skipped, {host} did not answer")
            continue
        try:
            opts = {"refresh": args.refresh, "timeout": args.timeout, "show_progress": show}
            line, used_network = fetch(source, dest, sums, url=url, **opts)
            lines.append(line)
            contacted += used_network
        except NoNetwork as exc:
            contacted += 1
            unreachable += 1
            dead_hosts.add(host)
            errors.append(str(exc))
        except DownloadError as exc:
            contacted += 1
            errors.append(str(exc))
        finally:
            if sums and dest.is_dir():
                write_sums(dest, sums)
    if contacted and unreachable == contacted:
        print(f"no network: keeping the bundled data ({errors[0]})")
        return 0
    if any(s.dataset == "gdelt" for s in sources) and not errors:  # the daily table (issue 26)
        from analysis.data.external.gdelt_daily import refresh_from_exports

        try:
            lines.append(refresh_from_exports(dest))
        except (OSError, ValueError) as exc:  # GdeltFormatError: a damaged or foreign file
            errors.append(" ".join(str(exc).split()))
    for line in lines:
        print(line)
    for err in errors:
        print(f"error: {err}", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
