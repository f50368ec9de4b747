"""JupyterLab exploration: the explore notebook runs under papermill and through a real Jupyter
server's REST API; the Explorer's widget redraws when its controls change."""

from __future__ import annotations

import json
import os
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
from analysis.render.explore import Explorer
from analysis.sections import DIMENSIONS

NOTEBOOK = config.NOTEBOOKS_DIR / "explore.ipynb"


@pytest.fixture(scope="module")
def explorer():
    return Explorer("2012-01-01", "2015-12-31")


@pytest.mark.parametrize("dimension", DIMENSIONS)
def test_every_dimension_has_a_table_of_years(explorer, dimension):
    table = explorer.indicators(dimension)
    assert list(table.index) == [2012, 2013, 2014, 2015]
    assert table.shape[1] >= 1


def test_un_table_holds_the_known_2014_vetoes(explorer):
    un = explorer.indicators("un")
    # data/unsc_vetoes.csv: 2014 joint vetoes = S/2014/348 (Syria, 22 May) only
    assert un.loc[2014, "vetoes_joint"] == 1
    assert un.loc[2014, "vetoes_rus"] == 2  # + Russia alone on S/2014/189 (Crimea, 15 March)


def test_render_shows_the_range_or_says_what_is_wrong(explorer):
    parts = explorer.render("economic", date(2020, 1, 1), date(2021, 12, 31))
    assert "2020-01-01 to 2021-12-31" in parts[0].data
    assert list(parts[1].index) == [2020, 2021]
    message = explorer.render("economic", date(2021, 1, 1), date(2019, 1, 1))
    assert len(message) == 1 and "Choose dates" in message[0]


def test_widget_redraws_when_a_control_changes(explorer, monkeypatch):
    calls = []
    monkeypatch.setattr(explorer, "render", lambda *a: calls.append(a) or [])
    ui = explorer.widget()
    start, end, dim, dyad = ui.children[0].children
    assert len(calls) == 1  # the first drawing
    dim.value = "economic"
    start.value = date(2020, 1, 1)
    end.value = date(2021, 12, 31)
    assert calls[-1] == ("economic", date(2020, 1, 1), date(2021, 12, 31), "main")
    dyad.value = "RUS-USA"
    assert calls[-1] == ("economic", date(2020, 1, 1), date(2021, 12, 31), "RUS-USA")
    assert len(calls) == 5


def test_the_explorer_picks_a_dyad_of_the_triangle(explorer):
    table = explorer.dyad("CHN-USA")
    assert list(table.index) == [2012, 2013, 2014, 2015]
    assert {"composite", "band_low", "band_high", "Official framing (−2 to +2)"} <= set(
        table.columns
    )
    assert (table["band_low"] <= table["composite"]).all()
    parts = explorer.render("un", date(2014, 1, 1), date(2019, 12, 31), "RUS-USA")
    assert "Russia–USA" in parts[0].data and list(parts[1].index) == list(range(2014, 2020))
    with pytest.raises(ValueError, match="unknown dyad"):
        explorer.dyad("USA-FRA")


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
