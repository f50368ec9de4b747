"""Running a notebook: papermill on the project's kernel, over private Unix sockets.

The kernel is the ``relations-briefing`` kernelspec (installed by ``make setup``, or here on
first use). It talks to papermill over IPC sockets in a private temporary directory, so nothing
listens on TCP and concurrent runs never collide. The data directories reach the kernel as
environment variables; the notebook's only parameters are the validated dates.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from analysis import config
from analysis.integrity import NOTICES_ENV

#: The file in the build's private folder where the kernel leaves its notices (a damaged cache
#: entry it recomputed); the build prints them.
NOTICES_FILE = "notices.txt"


def ensure_kernel() -> None:
    """Install the project's Jupyter kernel into this environment if it is missing."""
    from jupyter_client.kernelspec import KernelSpecManager

    if config.KERNEL_NAME in KernelSpecManager().find_kernel_specs():
        return
    from ipykernel.kernelspec import install

    install(
        kernel_name=config.KERNEL_NAME,
        display_name="Python (relations-briefing)",
        prefix=sys.prefix,
    )


def _ipc_kernel_manager(socket_dir: str):
    """A kernel manager talking to the kernel over Unix sockets in a private directory (not TCP
    on localhost, and no collision between concurrent runs)."""
    from jupyter_client.manager import AsyncKernelManager

    class IPCKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs):
            kwargs.setdefault("transport", "ipc")
            kwargs.setdefault("ip", str(Path(socket_dir) / "kernel"))
            super().__init__(**kwargs)

        async def _async_launch_kernel(self, kernel_cmd, **kw):
            # The kernel's own log lines ("[IPKernelApp] WARNING | Parent appears to have
            # exited", a cold start's "[IPKernelApp] ERROR") go to a file in the private
            # folder, not to the user's terminal; a failing cell is reported by papermill.
            log = Path(socket_dir) / "kernel.log"
            with log.open("ab") as fh:
                kw.setdefault("stdout", fh.fileno())
                kw.setdefault("stderr", fh.fileno())
                await super()._async_launch_kernel(kernel_cmd, **kw)

    return IPCKernelManager


@contextlib.contextmanager
def kernel_environment(
    data_dir: Path | None,
    external_dir: Path | None,
    claims_file: Path | None = None,
    scratch: Path | None = None,
) -> Iterator[None]:
    """What the kernel reads from the parent, as absolute paths in environment variables (never
    as parameters): the data directories and the claims file, each resolved once here against
    the current folder (the kernel runs in ``notebooks/``, where a relative path would name
    another folder). ``scratch`` becomes the temporary folder (``TMPDIR``) and Jupyter's runtime
    folder of the kernel, Chromium and their helpers, so one removal clears all they leave, and
    holds the kernel's notices file. The kernel and the printer import the parent's own code
    (:func:`_own_code_first`). ``BRIEFING_CLAIMS_FILE`` is the job's, or unset."""
    wanted: dict[str, Path | str | None] = {
        "BRIEFING_DATA_DIR": data_dir or config.DATA_DIR,
        "BRIEFING_EXTERNAL_DIR": external_dir or config.EXTERNAL_DIR,
        "BRIEFING_CACHE_DIR": config.CACHE_DIR,
        "BRIEFING_CLAIMS_FILE": claims_file,
        "TMPDIR": scratch,
        "JUPYTER_RUNTIME_DIR": scratch,
        # the whole notebook runs: figures may print in child processes until its last cell
        # (analysis.render.figures.background); in JupyterLab each prints as its cell runs
        "BRIEFING_BACKGROUND_FIGURES": "1",
        "PYTHONPATH": _own_code_first(),
    }
    wanted[NOTICES_ENV] = scratch / NOTICES_FILE if scratch is not None else None
    saved = {k: os.environ.get(k) for k in wanted}
    saved_tempdir = tempfile.tempdir
    for k, v in wanted.items():
        if isinstance(v, str):
            os.environ[k] = v
        elif v is not None:
            os.environ[k] = str(Path(v).absolute())
        elif k in _SET_BY_THE_BUILD_ONLY:  # never the user's: the kernel reads the job's
            os.environ.pop(k, None)
    if scratch is not None:
        tempfile.tempdir = str(scratch)
    try:
        yield
    finally:
        tempfile.tempdir = saved_tempdir
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


#: Variables the kernel reads only from the build: a value in the user's environment is not
#: passed on (the user's ``BRIEFING_CLAIMS_FILE`` is ``--claims``, see ``jobs.prepare``).
_SET_BY_THE_BUILD_ONLY = ("BRIEFING_CLAIMS_FILE", NOTICES_ENV)


def _own_code_first() -> str | None:
    """``PYTHONPATH`` for the kernel and the printer when the parent runs from a checkout: that
    checkout first, so that they run the code the cache key hashed (the project's kernelspec
    starts in ``notebooks/``, where ``import analysis`` would find whichever checkout the
    environment was installed from)."""
    if not (config.PROJECT_DIR / "pyproject.toml").is_file():
        return None  # installed as a package: one copy of the code
    rest = os.environ.get("PYTHONPATH", "")
    return os.pathsep.join(p for p in (str(config.PROJECT_DIR), rest) if p)


#: A Unix socket path is at most 107 bytes; the kernel's are <sockets>/kernel-<n>.
_SOCKET_DIR_MAX = 70


def _socket_parent() -> str | None:
    """Where the kernel's socket folder goes: the temporary folder, or ``/tmp`` when that path
    is too long for Unix sockets."""
    parent = tempfile.gettempdir()
    return parent if len(parent) <= _SOCKET_DIR_MAX else "/tmp"


#: Imported by the kernel as it starts (``exec_lines``), while the parent is still busy: the
#: briefing notebook's first cell then finds the module loaded.
PRELOAD = "import analysis.render.briefing"


class Kernel:
    """The project's kernel process, launched by the main thread as soon as a build knows it will
    run (:meth:`start`): it boots, importing :data:`PRELOAD`, while the parent goes on with its
    own imports; :func:`execute` runs the notebook on it; :meth:`close` stops it and removes its
    sockets. No thread: launching is a ``Popen``, and the kernel's boot is another process."""

    def __init__(self, notebook: Path, preload: bool = True):
        self.notebook = Path(notebook)
        self.preload = preload
        self.sockets: str | None = None
        self.km = None

    def start(self) -> None:
        from analysis.pipeline.atomic import BriefingFailed, signals_deferred

        # a signal here is delivered once the block is done: it never leaves asyncio or
        # jupyter_client half-imported (the clean-up would then fail on them, e.g. "NameError:
        # name 'base_events' is not defined", instead of the signal's one line), and the kernel
        # is launched and recorded together, so close() stops what started
        with signals_deferred():
            import asyncio

            ensure_kernel()
            self.sockets = tempfile.mkdtemp(prefix="rb-kernel-", dir=_socket_parent())
            km = _ipc_kernel_manager(self.sockets)(kernel_name=config.KERNEL_NAME)
            extra = [f"--IPKernelApp.exec_lines={PRELOAD}"] if self.preload else []
            self.km = km
            launch = km.start_kernel(cwd=str(self.notebook.parent), extra_arguments=extra)
            try:
                asyncio.run(asyncio.wait_for(launch, KERNEL_START_TIMEOUT_SECONDS))
            except TimeoutError:
                raise BriefingFailed(
                    f"the kernel '{config.KERNEL_NAME}' did not start within "
                    f"{KERNEL_START_TIMEOUT_SECONDS} s"
                ) from None

    def close(self) -> None:
        """Stop the kernel at once (its notebook is written) and remove its sockets; bounded in
        time, and a no-op when it never started or is already closed."""
        import asyncio
        import shutil

        km, self.km = self.km, None
        if km is not None and km.has_kernel:

            async def stop():
                await km.shutdown_kernel(now=True)
                await km.cleanup_resources()

            with contextlib.suppress(Exception):
                asyncio.run(asyncio.wait_for(stop(), timeout=10))
        if self.sockets is not None:
            shutil.rmtree(self.sockets, ignore_errors=True)


def execute(
    notebook: Path,
    output: Path,
    parameters: dict[str, str],
    *,
    progress: bool,
    kernel: Kernel | None = None,
    guard_signals: bool = False,
) -> None:
    """Run ``notebook`` with papermill on the project's kernel, writing ``output`` (on ``kernel``,
    already started, when given; else papermill starts one). ``guard_signals`` (the build's own
    runs): papermill runs in a worker thread so that nbclient cannot replace the build's signal
    handlers; other callers (the explorer's tests, the benchmarks) run it in their own thread."""
    import papermill

    run = _execute if guard_signals else _papermill_here
    if kernel is not None and kernel.km is not None:
        run(notebook, output, parameters, progress=progress, papermill=papermill, km=kernel.km)
        return
    ensure_kernel()
    with tempfile.TemporaryDirectory(prefix="rb-kernel-", dir=_socket_parent()) as sockets:
        run(
            notebook,
            output,
            parameters,
            progress=progress,
            papermill=papermill,
            kernel_manager_class=_ipc_kernel_manager(sockets),
        )


#: Longest a cell may run (the briefing's take seconds); then the build fails naming the cell.
CELL_TIMEOUT_SECONDS = 600
KERNEL_START_TIMEOUT_SECONDS = 120
#: Longest the whole notebook may run (each cell has its own bound too); then the build fails.
NOTEBOOK_TIMEOUT_SECONDS = 1800


def _execute(notebook, output, parameters, *, progress, papermill, **kernel) -> None:
    """papermill in a worker thread: there nbclient cannot replace the build's SIGINT/SIGTERM
    handlers with its own (which stop the kernel and leave SIG_DFL behind, so that a later
    SIGTERM killed the process outright); the main thread only waits, interruptible, so that
    one thread at a time imports (two importing one package graph at once can deadlock)."""
    import threading
    import time

    outcome: list[BaseException | None] = []

    def run() -> None:
        try:
            _papermill(notebook, output, parameters, progress, papermill, kernel)
            outcome.append(None)
        except BaseException as exc:
            outcome.append(exc)

    from analysis.pipeline.atomic import BriefingFailed

    worker = threading.Thread(target=run, name="papermill", daemon=True)
    worker.start()
    deadline = time.monotonic() + NOTEBOOK_TIMEOUT_SECONDS
    while worker.is_alive():
        if time.monotonic() > deadline:  # the caller stops the kernel, which ends the worker
            raise BriefingFailed(
                f"the notebook did not finish within {NOTEBOOK_TIMEOUT_SECONDS} s; nothing was "
                "replaced"
            )
        worker.join(0.2)
    if outcome and outcome[0] is not None:
        raise outcome[0]


def _papermill_here(notebook, output, parameters, *, progress, papermill, **kernel) -> None:
    _papermill(notebook, output, parameters, progress, papermill, kernel)


def _papermill(notebook, output, parameters, progress, papermill, kernel) -> None:
    if progress:  # the bar without tqdm's monitor thread (it only watches for a stalled bar)
        from tqdm import tqdm

        tqdm.monitor_interval = 0
    papermill.execute_notebook(
        str(notebook),
        str(output),
        parameters=parameters,
        kernel_name=config.KERNEL_NAME,
        progress_bar=progress,
        cwd=str(notebook.parent),
        log_output=False,
        report_mode=False,
        # not after every cell: each save validates and rewrites the whole notebook (with its
        # figures); papermill writes it once at the end, and a failing cell's notebook too
        request_save_on_cell_execute=False,
        # a cell that never answers fails with a message naming it instead of hanging the build
        execution_timeout=CELL_TIMEOUT_SECONDS,
        start_timeout=KERNEL_START_TIMEOUT_SECONDS,
        **kernel,
    )


def failure_message(exc: Exception) -> str:
    """One line: which cell failed, its first source line, the error."""
    index = getattr(exc, "cell_index", None)
    source = (getattr(exc, "source", "") or "").strip().splitlines()
    first = source[0][:80] if source else ""
    ename, evalue = getattr(exc, "ename", type(exc).__name__), getattr(exc, "evalue", str(exc))
    evalue = " ".join(str(evalue).split())[:300]
    where = f"cell {index + 1} of the executed notebook" if isinstance(index, int) else "a cell"
    return f"notebook {where} failed ({first!r}): {ename}: {evalue}"
