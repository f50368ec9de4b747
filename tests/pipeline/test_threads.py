"""The build's threads (issue 22): besides the main one, at most two at once — papermill's worker
and the heartbeat thread nbclient starts for its client, during the execute step only — and one
thread at a time imports: the main thread imports nothing while the worker runs. Two threads
importing one package graph at once can deadlock (importlib's _DeadlockError on
jupyter_client.kernelspec, seen in an e2e build of the six-thread design), so no list of modules
to import up front is needed: the design leaves no two importers. The browser is a child process
(the printer): the parent imports neither nbconvert nor Playwright."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import PROJECT

pytestmark = pytest.mark.e2e

SCRIPT = """
import json, sys, threading
events = []  # (thread, module, other live threads) for each module imported for the first time
peak = [0]
def hook(event, args):
    if event == "import" and args[0] not in sys.modules:
        others = [t.name for t in threading.enumerate() if t is not threading.current_thread()
                  and t is not threading.main_thread()]
        events.append((threading.current_thread().name, args[0], others))
sys.addaudithook(hook)
start = threading.Thread.start
def counted(self):
    start(self)
    peak[0] = max(peak[0], sum(t is not threading.main_thread() for t in threading.enumerate()))
threading.Thread.start = counted
from analysis.pipeline import cli
code = cli.main(["--start", "2014-01-01", "--end", "2014-12-31", "--force", "--quiet",
                 "--out", sys.argv[1]])
main = threading.main_thread().name
beside = sorted({(m, tuple(o)) for t, m, o in events if t == main and o and m in sys.modules})
elsewhere = sorted({(t, m) for t, m, o in events if t not in (main, "papermill")})
browser = sorted(m for m in ("nbconvert", "playwright", "pypdf") if m in sys.modules)
print(json.dumps({"code": code, "peak": peak[0], "main_beside_a_thread": beside,
                  "other_threads": elsewhere, "browser_modules": browser}))
"""


def test_at_most_two_threads_and_one_importer_at_a_time(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path / "out")],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    seen = json.loads(proc.stdout.strip().splitlines()[-1])
    assert seen["code"] == 0, proc.stderr[-2000:]
    assert seen["peak"] <= 2, seen
    assert seen["main_beside_a_thread"] == [], seen  # the main thread waited, importing nothing
    assert seen["other_threads"] == [], seen  # only papermill's worker imports besides it
    assert seen["browser_modules"] == [], seen  # the printer process prints, not the parent
