"""gunicorn server hooks of `shinchoku serve`: the open data builder runs beside the web workers.

The master starts one builder process when it is ready and stops it on exit (the builder also ends by
itself when the master is gone). SHINCHOKU_OPENDATA_BUILDER=0 leaves it out, for servers that share one
VAR_DIR with a server that has it, or that run `shinchoku opendata build --watch` as a service of its own.
"""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

_builder: subprocess.Popen | None = None


def when_ready(server: Any) -> None:
    global _builder
    if os.environ.get("SHINCHOKU_OPENDATA_BUILDER", "1") == "0":
        return
    command = [sys.executable, "-m", "shinchoku.cli", "opendata", "build", "--watch", "--parent", str(os.getpid())]
    _builder = subprocess.Popen(command)
    server.log.info("open data builder started (pid %s)", _builder.pid)


def on_exit(server: Any) -> None:
    if _builder is None or _builder.poll() is not None:
        return
    _builder.terminate()
    try:
        _builder.wait(timeout=20)
    except subprocess.TimeoutExpired:
        _builder.kill()
        _builder.wait()
