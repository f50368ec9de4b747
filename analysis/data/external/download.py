"""``make data``: download the full public datasets into ``data/external/`` (optional).

Usage::

    python -m analysis.data.external.download [--dest DIR] [--only NAME ...] [--url-base URL]
                                         [--refresh] [--list] [--timeout S] [--registry FILE]

The registry ``sources.yaml`` (beside this module) lists every upstream file: name, URL, where it
goes, and its size and SHA-256 where known. Each file is retrieved with pooch
(:func:`pooch.retrieve`, the folder ``--dest`` as its cache):

- pooch downloads into a temporary file beside the target, checks the hash and only then moves
  it into place. Its transfer is :class:`ResumingDownloader`: a partial transfer stays in
  ``<path>.part`` and is resumed with an HTTP ``Range`` request on the next run (a server that
  ignores Range sends the whole file again, and it is restarted).
- Size and SHA-256 are checked against the registry. Where the registry has no checksum, the
  SHA-256 of the first complete download is recorded in ``<dest>/SHA256SUMS`` (the format of
  ``sha256sum``) and later downloads must match it; ``mutable`` entries (a live page) instead
  replace the recorded value on ``--refresh`` and say so. A mismatch removes the download and
  the error says which check failed, with both values.
- Files already present and matching are skipped (``--refresh`` downloads them again; the old
  copy stays until the new one is verified).
- Without network (every request fails to connect) it prints ONE line,
  ``no network: keeping the bundled data (...)``, and exits 0: the bundled data stay in use.
  Other failures (HTTP errors, interrupted or corrupt transfers) are listed, exit status 1.
- ``--url-base URL`` fetches ``URL/<path>`` instead of the upstream URLs (a mirror, a
  ``file://`` folder, or tests).
- Progress is shown on stderr when it is a terminal; a summary line per file goes to stdout.

``briefing update`` (:mod:`analysis.data.update`) fetches through :func:`fetch_all` too.
"""

from __future__ import annotations

import argparse
import http.client
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from analysis.data.external.registry import (
    BLOCK,
    REGISTRY,
    SUMS_FILE,
    Source,
    load_registry,
    read_sums,
    select,
    sha256_of,
    write_sums,
)

__all__ = [
    "DownloadError",
    "Fetched",
    "NoNetwork",
    "ResumingDownloader",
    "Source",
    "fetch",
    "fetch_all",
    "load_registry",
    "main",
    "select",
]

USER_AGENT = "relations-briefing/0.1 (make data; python-urllib)"


class DownloadError(RuntimeError):
    """One file could not be downloaded or verified; the message says which and why."""


class NoNetwork(DownloadError):
    """A connection could not be opened at all (no route, refused, DNS failure, time-out)."""


# --------------------------------------------------------------------------------------------
# One file: pooch retrieves it, a resuming downloader transfers it
# --------------------------------------------------------------------------------------------


def _human(n: float) -> str:
    for unit in ("B", "kB", "MB"):
        if n < 1000:
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1000
    return f"{n:.1f} GB"


def _open(url: str, offset: int, timeout: float):
    req = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    if offset:
        req.add_header("Range", f"bytes={offset}-")
    try:
        return urllib.request.urlopen(req, timeout=timeout)
    except urllib.error.HTTPError:
        raise
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, OSError) and urllib.parse.urlsplit(url).scheme == "file":
            raise DownloadError(f"{url}: {exc.reason.strerror or exc.reason}") from exc
        raise NoNetwork(
            f"cannot connect to {urllib.parse.urlsplit(url).netloc}: {exc.reason}"
        ) from exc
    except (TimeoutError, ConnectionError) as exc:
        raise NoNetwork(f"cannot connect to {urllib.parse.urlsplit(url).netloc}: {exc}") from exc


class ResumingDownloader:
    """A pooch downloader (``downloader(url, output_file, pooch)``) that keeps a partial transfer
    in ``<target>.part`` and resumes it with an HTTP ``Range`` request on the next run; pooch
    then checks the hash and moves the file into place. ``file://`` URLs are read as they are
    (a local mirror, or tests)."""

    def __init__(self, source: Source, part: Path, timeout: float, show_progress: bool) -> None:
        self.source, self.part, self.timeout, self.show = source, part, timeout, show_progress
        self.resumed = False

    def __call__(self, url: str, output_file: str, pooch: object = None) -> None:
        name, part = self.source.name, self.part
        offset = part.stat().st_size if part.exists() else 0
        try:
            resp = _open(url, offset, self.timeout)
        except urllib.error.HTTPError as exc:
            if exc.code != 416 or not offset:
                raise DownloadError(f"{name}: HTTP {exc.code} {exc.reason} for {url}") from exc
            resp = None  # 416: the .part already holds the whole file
        total = None
        if resp is not None:
            with resp:
                if offset and getattr(resp, "status", None) != 206:
                    offset = 0  # the server ignored Range (or a file:// URL): start again
                elif offset:
                    start = resp.headers.get("Content-Range", "").split(" ")[-1].split("-")[0]
                    if start != str(offset):
                        raise DownloadError(
                            f"{name}: the server resumed at byte {start!r}, "
                            f"not {offset}; delete {part} and run again"
                        )
                length = resp.headers.get("Content-Length")
                total = offset + int(length) if length and length.isdigit() else None
                self._copy(resp, offset, total)
        got = part.stat().st_size
        if total is not None and got < total:
            raise DownloadError(
                f"{name}: incomplete transfer, {got} of {total} bytes; "
                f"the partial file {part.name} is kept: run again to resume"
            )
        if self.source.size is not None and got != self.source.size:
            part.unlink()
            raise DownloadError(
                f"{name}: size mismatch, expected {self.source.size} bytes "
                f"(registry), got {got}; the downloaded file was removed"
            )
        self.resumed = bool(offset)
        part.replace(output_file)

    def _copy(self, resp, offset: int, total: int | None) -> None:
        done = offset
        self.part.parent.mkdir(parents=True, exist_ok=True)
        try:
            with self.part.open("ab" if offset else "wb") as fh:
                while block := resp.read(BLOCK):
                    fh.write(block)
                    done += len(block)
                    if self.show:
                        pct = f" {100 * done / total:5.1f}%" if total else ""
                        msg = f"\r{self.source.path}: {_human(done)}{pct}"
                        print(msg, end="", file=sys.stderr, flush=True)
        except (OSError, http.client.HTTPException) as exc:
            raise DownloadError(
                f"{self.source.name}: transfer interrupted after {done} bytes "
                f"({exc}); run again to resume"
            ) from exc
        finally:
            if self.show:
                print(file=sys.stderr)


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
    """Download one file with :func:`pooch.retrieve` into ``dest`` (its cache folder), checked
    against the registry's or ``SHA256SUMS``' sha256, and record its checksum in ``sums``.

    A file present and matching is not fetched again unless ``refresh``; a refreshed file is
    retrieved beside it and replaces it only once verified. Returns a one-line summary and
    whether the network was used; raises :class:`NoNetwork` or :class:`DownloadError`.
    """
    import pooch  # imported on use: the registry and --list need no network library

    if urllib.parse.urlsplit(url).scheme not in ("http", "https", "file"):
        raise DownloadError(f"{source.name}: {url!r} is not an http(s) or file URL")
    target = dest / source.path
    expected = source.sha256 or sums.get(source.path)
    origin = "registry" if source.sha256 else SUMS_FILE
    if target.exists() and not refresh:
        digest = sha256_of(target)
        if expected is None or digest == expected:
            sums[source.path] = digest
            return f"{source.path}: present ({_human(target.stat().st_size)})", False
        target.unlink()  # corrupt or replaced by hand: fetch it again
    known = None if (source.mutable and refresh and not source.sha256) else expected
    fname = source.path + (".refresh" if target.exists() else "")
    part = target.with_name(target.name + ".part")
    downloader = ResumingDownloader(source, part, timeout, show_progress)
    pooch.get_logger().setLevel("WARNING")
    try:
        got = Path(
            pooch.retrieve(url, f"sha256:{known}" if known else None, fname=fname,
                           path=dest, downloader=downloader)
        )  # fmt: skip
    except ValueError as exc:  # pooch: the hash does not match; the download is deleted
        digest = str(exc).split(" but got ")[-1].split(".")[0]
        raise DownloadError(
            f"{source.name}: sha256 mismatch, expected {known} ({origin}), "
            f"got {digest}; the downloaded file was removed"
        ) from None
    size = got.stat().st_size
    digest = sha256_of(got)
    got.replace(target)
    recorded = ""
    if expected is None:
        recorded = f", sha256 recorded in {SUMS_FILE} (first download; later ones must match)"
    elif digest != expected:
        recorded = f", changed upstream (was {expected[:12]}…; {SUMS_FILE} updated)"
    sums[source.path] = digest
    resumed = " (resumed)" if downloader.resumed else ""
    return f"{source.path}: downloaded{resumed} {_human(size)}, verified{recorded}", True


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


@dataclass
class Fetched:
    """What :func:`fetch_all` did: summary lines, one-line errors, names fetched or present."""

    lines: list[str]
    errors: list[str]
    ok: list[str]
    no_network: str | None = None  # the first connection error when no request connected


def fetch_all(
    sources: Sequence[Source],
    dest: Path,
    *,
    url_base: str | None = None,
    refresh: bool | None = False,
    timeout: float = 30.0,
    show_progress: bool = False,
) -> Fetched:
    """Fetch ``sources`` into ``dest`` (``refresh=None``: refresh the mutable ones only), one host
    that does not answer skipping its other files; ``no_network`` is set when no request
    connected at all."""
    sums = read_sums(dest)
    out = Fetched([], [], [])
    dead_hosts: set[str] = set()
    contacted = unreachable = 0
    for source in sources:
        url = source.url
        if url_base:
            url = f"{url_base.rstrip('/')}/{urllib.parse.quote(source.path)}"
        host = urllib.parse.urlsplit(url).netloc
        if host and host in dead_hosts:
            out.errors.append(f"{source.name}: skipped, {host} did not answer")
            continue
        again = source.mutable if refresh is None else refresh
        try:
            opts = {"refresh": again, "timeout": timeout, "show_progress": show_progress}
            line, used_network = fetch(source, dest, sums, url=url, **opts)
            out.lines.append(line)
            out.ok.append(source.name)
            contacted += used_network
        except NoNetwork as exc:
            contacted += 1
            unreachable += 1
            dead_hosts.add(host)
            out.errors.append(str(exc))
        except DownloadError as exc:
            contacted += 1
            out.errors.append(str(exc))
        finally:
            if sums and dest.is_dir():
                write_sums(dest, sums)
    if contacted and unreachable == contacted:
        out.no_network = out.errors[0]
    return out


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
    got = fetch_all(
        sources,
        dest,
        url_base=args.url_base,
        refresh=args.refresh,
        timeout=args.timeout,
        show_progress=sys.stderr.isatty(),
    )
    if got.no_network:
        print(f"no network: keeping the bundled data ({got.no_network})")
        return 0
    lines, errors = got.lines, got.errors
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
