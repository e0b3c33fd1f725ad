"""gunicorn server hooks of `shinchoku serve`: the open data builder and the page warmer run beside the web
workers.

The master starts one builder process and one warmer (`shinchoku pages warm --watch`: the 団体 pages rendered
ahead of readers) when it is ready and stops them on exit (both also end by themselves when the master is
gone). SHINCHOKU_OPENDATA_BUILDER=0 leaves the builder out, for servers that share one VAR_DIR with a server
that has it, or that run `shinchoku opendata build --watch` as a service of its own; SHINCHOKU_PAGE_WARMER=0
leaves the warmer out, for all but one of several servers on one database.
"""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

_helpers: list[subprocess.Popen] = []
HELPERS = {
    "open data builder": ("SHINCHOKU_OPENDATA_BUILDER", ["opendata", "build", "--watch"]),
    "page warmer": ("SHINCHOKU_PAGE_WARMER", ["pages", "warm", "--watch"]),
}


def when_ready(server: Any) -> None:
    for name, (switch, arguments) in HELPERS.items():
        if os.environ.get(switch, "1") == "0":
            continue
        command = [sys.executable, "-m", "shinchoku.cli", *arguments, "--parent", str(os.getpid())]
        helper = subprocess.Popen(command)
        _helpers.append(helper)
        server.log.info("%s started (pid %s)", name, helper.pid)


def on_exit(server: Any) -> None:
    running = [h for h in _helpers if h.poll() is None]
    for helper in running:
        helper.terminate()
    for helper in running:
        try:
            helper.wait(timeout=20)
        except subprocess.TimeoutExpired:
            helper.kill()
            helper.wait()
