"""JupyterLab exploration (issue 25): the explorer's tables read like the briefing's (human headers
with units, the briefing's number formats, blanks explained, by month for a short range) for four
ranges and each dyad; the widget's controls act in every combination, and a range that cannot be
drawn is one plain sentence; the explore notebook runs under papermill and through a real
Jupyter server's REST API."""

from __future__ import annotations

import itertools
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from datetime import date
from pathlib import Path

import nbformat
import pytest

from analysis import config
from analysis.data import data_end
from analysis.model.dyads import DYADS, NAMES
from analysis.render import explore as E
from analysis.render.explore import DIMENSION_CHOICES, DYAD_CHOICES, Explorer
from analysis.render.explore_tables import COLUMNS
from analysis.render.texsafe import IGNORE_CLASSES
from analysis.sections import BY_KEY, DIMENSIONS

NOTEBOOK = config.NOTEBOOKS_DIR / "explore.ipynb"
END = data_end().date()
#: Four ranges: the whole record and a long one by year, two shorter than five years by month.
RANGES = {
    "whole record": (date(1989, 5, 15), END, "year"),
    "Xi era": (date(2012, 1, 1), date(2023, 2, 28), "year"),
    "war year": (date(2022, 2, 24), date(2023, 2, 22), "month"),
    "single year": (date(2014, 1, 1), date(2014, 12, 31), "month"),
}
#: What a table must never show: a float's repr, NaN or None, a snake_case name.
RAW = re.compile(r"\d\.\d{4,}|\d(?:\.\d+)?e[+-]?\d+|\b(?:nan|NaN|None|inf)\b")
SNAKE = re.compile(r"\b[a-z0-9]+_[a-z0-9_]+\b")


@pytest.fixture(scope="module")
def explorer():
    return Explorer("2012-01-01", "2015-12-31")


def _cells(html: str, tag: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", c) for c in re.findall(rf"<{tag}[^>]*>(.*?)</{tag}>", html)]


def _reads_like_the_briefing(html: str) -> tuple[list[str], list[str]]:
    """The headers and cells of a formatted table, checked; returned for more checks."""
    assert html.startswith(f'<div class="{IGNORE_CLASSES}">')
    headers, cells = _cells(html, "th"), _cells(html, "td")
    assert headers and headers[0] in ("Year", "Month"), headers[:2]
    assert not [h for h in headers if SNAKE.search(h)], headers
    assert not [c for c in cells if RAW.search(c)], [c for c in cells if RAW.search(c)][:5]
    text = re.sub(r"<[^>]+>", " ", re.sub(r"<style>.*?</style>", "", html, flags=re.S))
    assert "$" not in text  # written &#36;, and marked for MathJax to skip
    if "—" in cells:
        assert "— no figure: " in html  # every blank explained under the table
    return headers, cells


@pytest.mark.parametrize("dimension", DIMENSIONS)
@pytest.mark.parametrize("name", RANGES)
def test_tables_read_like_the_briefing_for_four_ranges(explorer, name, dimension):
    start, end, by = RANGES[name]
    table = explorer.table(dimension, start, end)
    headers, cells = _reads_like_the_briefing(table.html)
    caption = _cells(table.html, "caption")[0]
    assert caption.startswith(BY_KEY[dimension].title)
    if by == "year":
        assert caption.endswith("by year") and headers[0] == "Year"
    else:  # by month as the briefing, unless no monthly figure lies in the range (then says so)
        assert caption.endswith("by month") or "No monthly figure lies in this range" in table.html
        if caption.endswith("by month"):
            assert (
                re.fullmatch(r"\d{4}-\d{2}", cells[0]) and "shorter than five years" in table.html
            )


@pytest.mark.parametrize("dyad", DYADS)
@pytest.mark.parametrize("name", RANGES)
def test_each_dyads_table_reads_like_the_briefing_for_four_ranges(explorer, name, dyad):
    start, end, by = RANGES[name]
    headers, _ = _reads_like_the_briefing(explorer.dyad_table(dyad, "all", start, end).html)
    assert "Composite (−9 to +9)" in headers
    assert ("95% band, low" in headers) == (by == "year")  # the monthly composite has no draws
    assert headers[0] == ("Year" if by == "year" else "Month")


@pytest.mark.parametrize("name", RANGES)
def test_every_indicator_has_its_human_column(explorer, name):
    start, end, _ = RANGES[name]
    for dimension in DIMENSIONS:
        for by in ("year", "month"):
            keys = set(explorer.indicators(dimension, start, end, by=by).columns)
            assert keys <= set(COLUMNS), (dimension, by, keys - set(COLUMNS))


def test_the_numbers_stay_available(explorer):
    un = explorer.indicators("un", by="year")
    # data/unsc_vetoes.csv: 2014 joint vetoes = S/2014/348 (Syria, 22 May) only
    assert un.loc[2014, "vetoes_joint"] == 1
    assert un.loc[2014, "vetoes_rus"] == 2  # + Russia alone on S/2014/189 (Crimea, 15 March)
    assert list(explorer.indicators("diplomatic").index[:2]) == ["2012-01", "2012-02"]
    table = explorer.dyad("CHN-USA", by="year")
    assert list(table.index) == [2012, 2013, 2014, 2015]
    assert {"composite", "band_low", "band_high", "official_framing"} <= set(table.columns)
    assert (table["band_low"] <= table["composite"]).all()
    with pytest.raises(ValueError, match="unknown dyad"):
        explorer.dyad("USA-FRA")


def test_a_short_range_is_read_by_month_as_in_the_briefing(explorer):
    text = explorer.composite(date(2022, 2, 24), date(2023, 2, 22)).data
    assert "monthly composite (March 2022 to January 2023" in text
    assert "not measurable" not in text
    assert "by year" in explorer.composite(date(2012, 1, 1), date(2023, 2, 22)).data


def test_the_composite_shows_each_value_on_hover_without_a_script(explorer):
    monthly = explorer.composite(date(2022, 2, 24), date(2023, 2, 22)).data
    titles = re.findall(r"<title>([^<]*)</title>", monthly)
    assert titles[0] == "March 2022: +5.0" and len(titles) == 11  # months wholly inside
    yearly = explorer.composite(date(2012, 1, 1), date(2020, 12, 31)).data
    assert "<title>2014: " in yearly and "<script" not in yearly + monthly
    assert not re.search(r"(?:src|href)=\"https?:", yearly + monthly)  # nothing fetched


def test_a_year_the_range_covers_in_part_is_labelled_with_its_days(explorer):
    cells = _cells(explorer.table("diplomatic", date(2012, 1, 1), date(2023, 2, 28)).html, "td")
    assert "2023 to 28 February" in cells


@pytest.mark.parametrize(
    ("start", "end", "says"),
    [
        (date(2021, 1, 1), date(2019, 1, 1), "The start, 1 January 2021, is after the end"),
        (None, date(2019, 1, 1), "Choose a start date"),
        (date(2019, 1, 1), None, "Choose an end date"),
        (date(1950, 1, 1), date(2019, 1, 1), "Choose dates inside the data"),
    ],
)
def test_a_range_that_cannot_be_drawn_is_one_plain_sentence(explorer, start, end, says):
    parts = explorer.render("economic", start, end)
    assert len(parts) == 1
    text = re.sub(r"<[^>]+>|<style>.*?</style>", "", parts[0].html.split("</style>")[-1])
    assert text.startswith(says) and text.count(".") == 1 and "'" not in text


def test_the_menus_show_labels_not_keys():
    assert [v for _, v in DIMENSION_CHOICES] == ["all", *DIMENSIONS]
    assert all(not SNAKE.search(label) and label != v for label, v in DIMENSION_CHOICES)
    assert [v for _, v in DYAD_CHOICES] == ["main", *DYADS]
    assert all(NAMES.get(v, "China–Russia") in label for label, v in DYAD_CHOICES)


def test_the_widget_acts_on_every_combination_of_its_controls(explorer, monkeypatch):
    shown: list = []
    monkeypatch.setattr(E, "display", shown.append)
    ui = explorer.widget()
    (start, end), (dim, dyad) = ui.children[0].children, ui.children[1].children
    hint, out = ui.children[2], ui.children[3]
    assert dim.value == "all" and dyad.value == "main" and shown  # the first drawing
    out.clear_output = lambda *a, **k: shown.clear()  # each redraw starts by clearing
    hints = set()
    for first, last in [
        (date(2010, 1, 1), date(2019, 12, 31)),
        (date(2022, 2, 24), date(2023, 2, 22)),
    ]:
        start.value, end.value = first, last
        for (_, d), (_, y) in itertools.product(DIMENSION_CHOICES, DYAD_CHOICES):
            dim.value, dyad.value = d, y  # shown: what the last redraw displayed
            html_parts = [getattr(p, "html", None) or p.data for p in shown]
            hints.add(hint.value)
            if y == "main":
                dims = DIMENSIONS if d == "all" else (d,)
                assert len(shown) == 1 + len(dims)  # the composite, then each dimension's table
                for part, key in zip(html_parts[1:], dims, strict=True):
                    assert f"<caption>{BY_KEY[key].title}".replace("'", "&#x27;") in part
            else:
                assert len(shown) == 2 and NAMES[y] in html_parts[0]  # the triangle ...
                table = html_parts[1]  # ... and the dyad's components of the dimension
                assert NAMES[y] in _cells(table, "caption")[0]
                if d != "all" and any(c.section == d for c in E.COMPONENTS):
                    labels = [c.label for c in E.COMPONENTS if c.section == d]
                    assert all(label in table for label in labels)
                    others = [c.label for c in E.COMPONENTS if c.section != d]
                    assert not any(f">{label}" in table for label in others)
                elif d != "all":
                    assert "no component of the composite measures" in table
    assert len(hints) == len(DIMENSION_CHOICES) * len(DYAD_CHOICES)  # each says what applies
    start.value = date(2024, 1, 1)  # after the end: one sentence, not a quoted repr
    assert len(shown) == 1 and "is after the end" in shown[0].html


def test_the_explorer_picks_a_dyad_of_the_triangle(explorer):
    parts = explorer.render("un", date(2014, 1, 1), date(2019, 12, 31), "RUS-USA")
    assert "Russia–USA" in parts[0].data
    assert _cells(parts[1].html, "td")[0] == "2014"


def _papermill_cli(out: Path) -> subprocess.CompletedProcess | None:
    """papermill's own CLI on the project's kernel, with a cell time limit; None on a hang."""
    try:
        return subprocess.run(
            [
                sys.executable,
                "-m",
                "papermill",
                str(NOTEBOOK),
                str(out),
                "-k",
                config.KERNEL_NAME,
                "--execution-timeout",
                "120",
                "--cwd",
                str(NOTEBOOK.parent),
                "--no-progress-bar",
            ],
            capture_output=True,
            text=True,
            timeout=240,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return None


@pytest.mark.e2e
def test_runs_top_to_bottom_under_papermill(tmp_path):
    """As a user runs it: papermill in its own process. Known issue (see the stop note of
    2026-12-01): an in-process papermill run of this notebook hung intermittently on fresh
    clones with the kernel idle; a hang is retried once, in a new process, and then fails."""
    out = tmp_path / "explore.ipynb"
    proc = _papermill_cli(out) or _papermill_cli(out)
    assert proc is not None, "papermill hung twice on the explore notebook"
    assert proc.returncode == 0, proc.stderr[-2000:]
    nb = nbformat.read(out, as_version=4)
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors
    mimes = {m for c in nb.cells for o in c.get("outputs", []) for m in o.get("data", {})}
    assert "application/vnd.jupyter.widget-view+json" in mimes


# ---- a real Jupyter server ------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _api(base: str, token: str, path: str, method: str = "GET", body: dict | None = None):
    req = urllib.request.Request(
        f"{base}{path}",
        method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"token {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=30) as resp:
        raw = resp.read()
        return json.loads(raw) if raw else None


def _run_cells_over_websocket(ws_url: str, token: str, cells: list[str]) -> list[dict]:
    """Send each cell as an execute_request on the kernel's channels; return the replies."""
    from tornado import httpclient, ioloop, websocket

    async def run() -> list[dict]:
        request = httpclient.HTTPRequest(ws_url, headers={"Authorization": f"token {token}"})
        conn = await websocket.websocket_connect(request)
        session, replies = uuid.uuid4().hex, []
        for code in cells:
            msg_id = uuid.uuid4().hex
            await conn.write_message(
                json.dumps(
                    {
                        "header": {
                            "msg_id": msg_id,
                            "msg_type": "execute_request",
                            "session": session,
                            "username": "test",
                            "version": "5.3",
                            "date": "",
                        },
                        "parent_header": {},
                        "metadata": {},
                        "channel": "shell",
                        "buffers": [],
                        "content": {
                            "code": code,
                            "silent": False,
                            "store_history": True,
                            "user_expressions": {},
                            "allow_stdin": False,
                            "stop_on_error": True,
                        },
                    }
                )
            )
            while True:
                msg = json.loads(await conn.read_message())
                if (
                    msg.get("parent_header", {}).get("msg_id") == msg_id
                    and msg["msg_type"] == "execute_reply"
                ):
                    replies.append(msg["content"])
                    break
        conn.close()
        return replies

    return ioloop.IOLoop.current().run_sync(run, timeout=180)


@pytest.mark.e2e
def test_runs_on_a_jupyter_server_through_its_rest_api(tmp_path):
    root = tmp_path / "root"
    root.mkdir()
    (root / "explore.ipynb").write_bytes(NOTEBOOK.read_bytes())
    port, token = _free_port(), secrets.token_hex(16)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyter_server",
            "--no-browser",
            f"--port={port}",
            "--ip=127.0.0.1",
            f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={root}",
            "--ServerApp.port_retries=0",
            "--allow-root",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path)},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                _api(base, token, "/api/status")
                break
            except OSError:
                assert time.monotonic() < deadline and server.poll() is None, "server did not start"
                time.sleep(0.3)
        model = _api(base, token, "/api/contents/explore.ipynb")
        assert model["type"] == "notebook"
        cells = [
            "".join(c["source"]) if isinstance(c["source"], list) else c["source"]
            for c in model["content"]["cells"]
            if c["cell_type"] == "code"
        ]
        kernel = _api(base, token, "/api/kernels", "POST", {"name": config.KERNEL_NAME})
        replies = _run_cells_over_websocket(
            f"ws://127.0.0.1:{port}/api/kernels/{kernel['id']}/channels", token, cells
        )
        assert [r["status"] for r in replies] == ["ok"] * len(cells), [
            r.get("evalue") for r in replies
        ]
        _api(base, token, f"/api/kernels/{kernel['id']}", "DELETE")
        assert _api(base, token, "/api/kernels") == []
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_explore_notebook_only_calls_the_library():
    nb = json.loads(Path(NOTEBOOK).read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] != "code" or "parameters" in cell["metadata"].get("tags", []):
            continue
        for line in "".join(cell["source"]).splitlines():
            code = line.split("#")[0].strip()
            if code:
                assert code.startswith(("from analysis", "ex = Explorer(", "ex.")), line
