"""After the stage modules are imported (signals held), the build's main thread imports nothing
new: a signal can then never raise inside the import machinery while the early-kernel and
warm-up threads import beside it (which left the global import lock held: a batch worker
signalled as it started hung until killed)."""

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
def hook(event, args):
    if event == "import" and armed[0] and args[0] not in sys.modules:
        if threading.current_thread() is threading.main_thread():
            late.append(args[0])
sys.addaudithook(hook)
from analysis.build import cli, pipeline
real = pipeline._import_stage_modules
def held(*names):  # imports made here are made with the signals held
    armed[0] = False
    real(*names)
    armed[0] = True
pipeline._import_stage_modules = held
sys.argv = ["briefing", "--start", "2014-01-01", "--end", "2014-12-31", "--force", "--quiet",
            "--out", sys.argv[1]]
try:
    cli.main()
except SystemExit as exc:
    assert not exc.code, exc.code
print("LATE", sorted(set(late)))
"""


def test_the_main_thread_imports_nothing_after_the_stage_modules(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path / "out")],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip().splitlines()[-1] == "LATE []", proc.stdout[-500:]
