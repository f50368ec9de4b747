"""``python -m analysis.data.external.download`` against a local HTTP server on 127.0.0.1.

The server (http.server in a thread) serves fixture files, honours ``Range: bytes=N-`` and can
close a transfer half-way once. Also: the registry, ``available()`` and ``external_dir()``.
"""

from __future__ import annotations

import hashlib
import re
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml

from analysis.data.external import available, external_dir
from analysis.data.external.download import REGISTRY, load_registry, main, read_sums, select

GOOD = b"rcid,short_name,issue\n" + b"".join(
    b"%d,me,Palestinian conflict\n" % i for i in range(5000)
)
TRUNC = bytes(range(256)) * 800  # 204,800 bytes
PAGE = b"<html><table><tr><td>veto list</td></tr></table></html>\n"


class Server:
    """Files by path; ``truncate_once`` paths send half the body once, then close."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.truncate_once: set[str] = set()
        self.ignore_range: set[str] = set()
        self.log: list[tuple[str, str | None]] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                path = self.path.lstrip("/")
                rng = self.headers.get("Range")
                owner.log.append((path, rng))
                if path not in owner.files:
                    self.send_error(404, "Not Found")
                    return
                data = owner.files[path]
                start = 0
                if rng and path not in owner.ignore_range:
                    start = int(re.fullmatch(r"bytes=(\d+)-", rng)[1])
                    if start >= len(data):
                        self.send_response(416)
                        self.send_header("Content-Range", f"bytes */{len(data)}")
                        self.end_headers()
                        return
                    self.send_response(206)
                    self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
                else:
                    self.send_response(200)
                body = data[start:]
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if path in owner.truncate_once:
                    owner.truncate_once.discard(path)
                    self.wfile.write(body[: len(body) // 2])
                    self.wfile.flush()
                    self.close_connection = True
                    return
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)

    def hits(self, path: str) -> list[str | None]:
        return [rng for p, rng in self.log if p == path]


@pytest.fixture
def server():
    srv = Server()
    srv.thread.start()
    yield srv
    srv.httpd.shutdown()
    srv.httpd.server_close()


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def registry(tmp_path: Path, entries: list[dict]) -> Path:
    path = tmp_path / "sources.yaml"
    full = [
        {
            "dataset": "test",
            "url": f"https://upstream.invalid/{e['path']}",
            "size": None,
            "sha256": None,
            "mutable": False,
            "default": True,
            **e,
        }
        for e in entries
    ]
    path.write_text(yaml.safe_dump({"sources": full}), encoding="utf-8")
    return path


def run(capsys, reg: Path, dest: Path, url_base: str, *extra: str) -> tuple[int, str, str]:
    code = main(
        [
            "--registry",
            str(reg),
            "--dest",
            str(dest),
            "--url-base",
            url_base,
            "--timeout",
            "5",
            *extra,
        ]
    )
    out, err = capsys.readouterr()
    return code, out, err


def test_good_file_verified_then_skipped(server, tmp_path, capsys):
    server.files["unvotes/issues.csv"] = GOOD
    reg = registry(
        tmp_path,
        [{"name": "good", "path": "unvotes/issues.csv", "size": len(GOOD), "sha256": sha(GOOD)}],
    )
    dest = tmp_path / "external"
    code, out, err = run(capsys, reg, dest, server.url)
    assert (code, err) == (0, "")
    assert out.startswith("unvotes/issues.csv: downloaded") and "verified" in out
    assert (dest / "unvotes/issues.csv").read_bytes() == GOOD
    assert not (dest / "unvotes/issues.csv.part").exists()
    assert read_sums(dest) == {"unvotes/issues.csv": sha(GOOD)}
    code, out, _ = run(capsys, reg, dest, server.url)  # second run: nothing fetched
    assert code == 0 and "present" in out
    assert len(server.hits("unvotes/issues.csv")) == 1


def test_truncated_transfer_resumes_with_range(server, tmp_path, capsys):
    server.files["gdelt/1999.zip"] = TRUNC
    server.truncate_once.add("gdelt/1999.zip")
    reg = registry(tmp_path, [{"name": "trunc", "path": "gdelt/1999.zip"}])
    dest = tmp_path / "external"
    code, out, err = run(capsys, reg, dest, server.url)
    assert code == 1
    assert "incomplete transfer, 102400 of 204800 bytes" in err and "run again to resume" in err
    part = dest / "gdelt/1999.zip.part"
    assert part.read_bytes() == TRUNC[:102400]
    assert not (dest / "gdelt/1999.zip").exists()

    code, out, err = run(capsys, reg, dest, server.url)
    assert (code, err) == (0, "")
    assert "downloaded (resumed)" in out and "sha256 recorded in SHA256SUMS" in out
    assert server.hits("gdelt/1999.zip") == [None, "bytes=102400-"]
    assert (dest / "gdelt/1999.zip").read_bytes() == TRUNC
    assert not part.exists()
    assert read_sums(dest)["gdelt/1999.zip"] == sha(TRUNC)


def test_server_ignoring_range_restarts_cleanly(server, tmp_path, capsys):
    server.files["a.bin"] = TRUNC
    server.ignore_range.add("a.bin")
    dest = tmp_path / "external"
    dest.mkdir()
    (dest / "a.bin.part").write_bytes(b"stale bytes from an older file")
    reg = registry(tmp_path, [{"name": "a", "path": "a.bin"}])
    code, out, _ = run(capsys, reg, dest, server.url)
    assert code == 0 and "downloaded" in out and "resumed" not in out
    assert (dest / "a.bin").read_bytes() == TRUNC


def test_http_404(server, tmp_path, capsys):
    reg = registry(tmp_path, [{"name": "gone", "path": "vetolist/veto.html"}])
    dest = tmp_path / "external"
    code, out, err = run(capsys, reg, dest, server.url)
    assert code == 1 and out == ""
    assert "gone: HTTP 404 Not Found for" in err
    assert not (dest / "vetolist/veto.html").exists()
    assert not (dest / "vetolist/veto.html.part").exists()


def test_checksum_and_size_mismatch_remove_the_file(server, tmp_path, capsys):
    server.files["x.csv"] = GOOD
    wrong = sha(b"something else")
    reg = registry(tmp_path, [{"name": "x", "path": "x.csv", "sha256": wrong}])
    dest = tmp_path / "external"
    code, _, err = run(capsys, reg, dest, server.url)
    assert code == 1
    assert f"x: sha256 mismatch, expected {wrong} (registry), got {sha(GOOD)}" in err
    assert "removed" in err
    assert list(dest.rglob("x.csv*")) == []
    reg = registry(tmp_path, [{"name": "x", "path": "x.csv", "size": len(GOOD) + 1}])
    code, _, err = run(capsys, reg, dest, server.url)
    assert (
        code == 1
        and f"size mismatch, expected {len(GOOD) + 1} bytes (registry), got {len(GOOD)}" in err
    )
    assert list(dest.rglob("x.csv*")) == []


def test_first_download_checksum_is_enforced_later(server, tmp_path, capsys):
    server.files["unvotes/unvotes.csv"] = GOOD
    reg = registry(tmp_path, [{"name": "v", "path": "unvotes/unvotes.csv"}])
    dest = tmp_path / "external"
    assert run(capsys, reg, dest, server.url)[0] == 0
    server.files["unvotes/unvotes.csv"] = GOOD + b"tampered\n"
    code, _, err = run(capsys, reg, dest, server.url, "--refresh")
    assert code == 1
    assert f"expected {sha(GOOD)} (SHA256SUMS), got {sha(GOOD + b'tampered' + bytes([10]))}" in err
    # the mismatching download is removed; the verified copy and its record stay
    assert not (dest / "unvotes/unvotes.csv.part").exists()
    assert (dest / "unvotes/unvotes.csv").read_bytes() == GOOD
    assert read_sums(dest)["unvotes/unvotes.csv"] == sha(GOOD)


def test_mutable_page_may_change_on_refresh(server, tmp_path, capsys):
    server.files["vetolist/veto.html"] = PAGE
    reg = registry(tmp_path, [{"name": "veto_list", "path": "vetolist/veto.html", "mutable": True}])
    dest = tmp_path / "external"
    assert run(capsys, reg, dest, server.url)[0] == 0
    server.files["vetolist/veto.html"] = PAGE.replace(b"veto list", b"veto list, one more")
    code, out, _ = run(capsys, reg, dest, server.url, "--refresh")
    assert code == 0 and "changed upstream" in out
    assert read_sums(dest)["vetolist/veto.html"] == sha(server.files["vetolist/veto.html"])


def test_no_network_is_one_line_and_exit_0(tmp_path, capsys):
    with socket.socket() as s:  # a port that was free a moment ago: nothing listens there
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    reg = registry(tmp_path, [{"name": "a", "path": "a.csv"}, {"name": "b", "path": "b.csv"}])
    dest = tmp_path / "external"
    code, out, err = run(capsys, reg, dest, f"http://127.0.0.1:{port}")
    assert code == 0 and err == ""
    assert out.count("\n") == 1 and out.startswith("no network: keeping the bundled data (")
    assert not dest.exists() or list(dest.rglob("*")) == []


def test_only_selects_and_unknown_names_fail(server, tmp_path, capsys):
    server.files.update({"a.csv": GOOD, "b.csv": PAGE})
    reg = registry(
        tmp_path, [{"name": "a", "path": "a.csv"}, {"name": "b", "path": "b.csv", "default": False}]
    )
    dest = tmp_path / "external"
    assert run(capsys, reg, dest, server.url)[0] == 0
    assert not (dest / "b.csv").exists()  # not a default entry
    assert run(capsys, reg, dest, server.url, "--only", "b")[0] == 0
    assert (dest / "b.csv").read_bytes() == PAGE
    code, _, err = run(capsys, reg, dest, server.url, "--only", "nope")
    assert code == 2 and "--only nope: not in the registry" in err


def test_the_project_registry():
    sources = load_registry(REGISTRY)
    names = {s.name for s in sources}
    assert {"unvotes_votes", "unvotes_roll_calls", "unvotes_issues", "veto_list"} <= names
    assert {s.path for s in select(sources, None)} == {
        "unvotes/unvotes.csv",
        "unvotes/roll_calls.csv",
        "unvotes/issues.csv",
        "vetolist/veto.html",
    }
    yearly = select(sources, ["gdelt1_yearly"])
    assert [s.path for s in yearly][:2] == ["gdelt/1989.zip", "gdelt/1990.zip"]
    assert len(yearly) == 2005 - 1989 + 1
    monthly = select(sources, ["gdelt1_monthly"])
    assert (monthly[0].path, monthly[-1].path, len(monthly)) == (
        "gdelt/200601.zip",
        "gdelt/201303.zip",
        7 * 12 + 3,
    )
    assert monthly[0].url == "http://data.gdeltproject.org/events/200601.zip"
    for s in sources:
        assert s.url.startswith(("http://", "https://")) and ".." not in s.path
        assert s.sha256 is None or len(s.sha256) == 64
    assert [s for s in sources if s.mutable] == [s for s in sources if s.name == "veto_list"]


def test_list_prints_the_registry(capsys):
    assert main(["--list"]) == 0
    out = capsys.readouterr().out
    assert "unvotes_votes" in out and "gdelt1_yearly_1989" in out and "only with --only" in out


# --------------------------------------------------------------------------------------------
# Where the external data live, and what is there
# --------------------------------------------------------------------------------------------


def test_external_dir_follows_the_environment(monkeypatch, tmp_path):
    from analysis import config

    monkeypatch.delenv("BRIEFING_EXTERNAL_DIR", raising=False)
    assert external_dir() == Path(config.EXTERNAL_DIR)
    monkeypatch.setenv("BRIEFING_EXTERNAL_DIR", str(tmp_path))
    assert external_dir() == tmp_path


def test_available(tmp_path, monkeypatch):
    assert available(tmp_path) == {"unvotes": None, "gdelt": None, "vetolist": None}
    (tmp_path / "unvotes").mkdir()
    for name in ("unvotes.csv", "roll_calls.csv"):
        (tmp_path / "unvotes" / name).write_text("x\n")
    (tmp_path / "gdelt").mkdir()
    (tmp_path / "gdelt" / "1999.zip.part").write_bytes(b"partial")
    (tmp_path / "vetolist").mkdir()
    (tmp_path / "vetolist" / "veto.html.part").write_bytes(b"partial")
    assert available(tmp_path) == {"unvotes": None, "gdelt": None, "vetolist": None}
    (tmp_path / "unvotes" / "issues.csv").write_text("x\n")
    (tmp_path / "gdelt" / "20150219.export.CSV.zip").write_bytes(b"PK")
    (tmp_path / "vetolist" / "veto.html").write_text("<html></html>")
    assert available(tmp_path) == {
        "unvotes": tmp_path / "unvotes",
        "gdelt": tmp_path / "gdelt",
        "vetolist": tmp_path / "vetolist" / "veto.html",
    }
    monkeypatch.setenv("BRIEFING_EXTERNAL_DIR", str(tmp_path))
    assert available()["gdelt"] == tmp_path / "gdelt"
