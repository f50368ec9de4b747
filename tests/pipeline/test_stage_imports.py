"""The build's threads import nothing themselves: the main thread imports every module they
need before it starts them, with signals held. Two threads importing one package graph at once
can deadlock (importlib's _DeadlockError on jupyter_client.kernelspec, seen in an e2e build), and
a signal raised in the main thread inside the import machinery left the global import lock held
(a batch worker signalled as it started hung until killed)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import PROJECT

pytestmark = pytest.mark.e2e

SCRIPT = """
import sys, threading
late = []
armed = [False]
started = [False]
def hook(event, args):
    if event == "import" and args[0] not in sys.modules:
        main = threading.current_thread() is threading.main_thread()
        if (armed[0] and main) or (started[0] and not main):
            late.append((threading.current_thread().name, args[0]))
sys.addaudithook(hook)
from analysis.pipeline import cli, steps
real = steps._import_stage_modules
def held(*names):  # imports made here are made with the signals held
    armed[0] = False
    real(*names)
    armed[0] = started[0] = True
steps._import_stage_modules = held
sys.argv = ["briefing", "--start", "2014-01-01", "--end", "2014-12-31", "--force", "--quiet",
            "--out", sys.argv[1]]
try:
    cli.main()
except SystemExit as exc:
    assert not exc.code, exc.code
print("LATE", sorted({(t, m) for t, m in late if m in sys.modules}))  # failed: optional
"""


def test_no_thread_of_the_build_imports_beside_another(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path / "out")],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip().splitlines()[-1] == "LATE []", proc.stdout[-500:]
