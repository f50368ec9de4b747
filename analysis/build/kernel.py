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
    folder of the kernel, Chromium and their helpers, so one removal clears all they leave."""
    wanted: dict[str, Path | None] = {
        "BRIEFING_DATA_DIR": data_dir or config.DATA_DIR,
        "BRIEFING_EXTERNAL_DIR": external_dir or config.EXTERNAL_DIR,
        "BRIEFING_CACHE_DIR": config.CACHE_DIR,
        "BRIEFING_CLAIMS_FILE": claims_file,
        "TMPDIR": scratch,
        "JUPYTER_RUNTIME_DIR": scratch,
    }
    saved = {k: os.environ.get(k) for k in wanted}
    saved_tempdir = tempfile.tempdir
    for k, v in wanted.items():
        if v is not None:
            os.environ[k] = str(Path(v).absolute())
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


#: A Unix socket path is at most 107 bytes; the kernel's are <sockets>/kernel-<n>.
_SOCKET_DIR_MAX = 70


def _socket_parent() -> str | None:
    """Where the kernel's socket folder goes: the temporary folder, or ``/tmp`` when that path
    is too long for Unix sockets."""
    parent = tempfile.gettempdir()
    return parent if len(parent) <= _SOCKET_DIR_MAX else "/tmp"


def execute(notebook: Path, output: Path, parameters: dict[str, str], *, progress: bool) -> None:
    """Run ``notebook`` with papermill on the project's kernel, writing ``output``."""
    import papermill

    ensure_kernel()
    with tempfile.TemporaryDirectory(prefix="rb-kernel-", dir=_socket_parent()) as sockets:
        _execute(
            notebook, output, parameters, progress=progress, sockets=sockets, papermill=papermill
        )


def _execute(notebook, output, parameters, *, progress, sockets, papermill) -> None:
    papermill.execute_notebook(
        str(notebook),
        str(output),
        kernel_manager_class=_ipc_kernel_manager(sockets),
        parameters=parameters,
        kernel_name=config.KERNEL_NAME,
        progress_bar=progress,
        cwd=str(notebook.parent),
        log_output=False,
        report_mode=False,
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
