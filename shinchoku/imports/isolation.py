"""Reading workbooks in a child process with memory and time limits.

calamine is native code: a file it cannot handle may end the process it runs in (a failed Rust allocation
aborts with SIGABRT; it is no exception). So every workbook is read in a child process under RLIMIT_AS and
a time limit, and the child's death becomes a refusal (WorkbookProblem) in Japanese, never a dead server
worker. The child sends the sheets back as a pickle that may hold plain values and dates only.
"""

from __future__ import annotations

import contextlib
import ctypes
import io
import logging
import math
import os
import pickle
import resource
import selectors
import signal
import time
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any, NoReturn

from python_calamine import CalamineWorkbook  # imported by the parent: the forked child imports nothing

from .guard import WorkbookProblem, check_workbook_bytes

__all__ = [
    "MEMORY_BYTES",
    "ReadFailed",
    "TimeLimitExceeded",
    "check_time",
    "read_book",
    "remaining_seconds",
    "time_limit",
]

logger = logging.getLogger(__name__)

# Address space the child may add to what it inherits (memory the worker had freed may be reused on top): the
# national workbook (1.5 M cells) takes about 340 MB; a sheet of MAX_CELLS stays under this.
MEMORY_BYTES = 2 * 1024 * 1024 * 1024
DEFAULT_SECONDS = 300.0  # the CLI; web requests set a shorter time_limit
ADVICE = "Excel で開いて保存し直すか、CSV で保存して取り込んでください。"
_deadline: ContextVar[float | None] = ContextVar("shinchoku_import_deadline", default=None)


class ReadFailed(WorkbookProblem):
    """The child process died, ran out of time or memory; str(e) is a Japanese message."""


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Workbooks read inside this block (and the block's remaining_seconds) share one deadline."""
    deadline = time.monotonic() + seconds
    outer = _deadline.get()
    token = _deadline.set(deadline if outer is None else min(outer, deadline))
    try:
        yield
    finally:
        _deadline.reset(token)


def remaining_seconds() -> float | None:
    """Seconds left under the innermost time_limit; None outside any."""
    deadline = _deadline.get()
    return None if deadline is None else deadline - time.monotonic()


class TimeLimitExceeded(Exception):
    """An import ran past its time_limit; str(e) is a Japanese message. Raised between stages only."""


def check_time() -> None:
    """Raise TimeLimitExceeded when the innermost time_limit has passed (the web checks at every stage)."""
    left = remaining_seconds()
    if left is not None and left <= 0:
        raise TimeLimitExceeded(
            "取り込みが制限時間内に終わらなかったため、何も書き込まずに中止しました。大きなファイルは"
            "運用者がコマンド（shinchoku import）で取り込んでください。"
        )


def read_book(data: bytes, *, names_only: bool = False) -> tuple[list[str], dict[str, Any]]:
    """(sheet names, {sheet name: rows from A1}) of a workbook, read in a child process.

    Raises WorkbookProblem (the file is refused: too far-reaching, a zip bomb, password-protected, broken)
    or ReadFailed (the child crashed, exceeded MEMORY_BYTES or the time limit).
    """
    left = remaining_seconds()
    timeout = DEFAULT_SECONDS if left is None else left
    if timeout <= 0:
        raise ReadFailed(f"ファイルを読み込めませんでした（処理の制限時間を超えました）。{ADVICE}")
    receive, send = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(receive)
        _child(data, send, math.ceil(timeout), MEMORY_BYTES, names_only)
    os.close(send)
    payload = None
    try:
        payload = _receive(receive, timeout)
    finally:
        os.close(receive)
        status = _reap(pid, kill=payload is None)
    if payload is None:
        raise ReadFailed(f"ファイルを読み込めませんでした（{timeout:.0f} 秒以内に読み終わりませんでした）。{ADVICE}")
    try:
        kind, *result = _SafeUnpickler(io.BytesIO(payload)).load()
    except Exception:  # nothing, or half an answer: the child died
        logger.warning("workbook reader ended with status %s", status)
        raise ReadFailed(
            "ファイルを読み込めませんでした（読み取りの処理が異常終了しました。ファイルが壊れているか、"
            f"大きすぎる可能性があります）。{ADVICE}"
        ) from None
    if kind == "problem":
        raise WorkbookProblem(result[0])
    if kind == "failed":
        raise ReadFailed(f"ファイルを読み込めませんでした（{result[0]}）。{ADVICE}")
    return result[0], result[1]


def _receive(fd: int, timeout: float) -> bytes | None:
    """Everything the child writes until it closes the pipe; None when the time runs out first."""
    deadline = time.monotonic() + timeout
    chunks: list[bytes] = []
    with selectors.DefaultSelector() as selector:
        selector.register(fd, selectors.EVENT_READ)
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not selector.select(left):
                return None
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)


def _reap(pid: int, *, kill: bool) -> int:
    """The child's wait status once it has ended; SIGKILL first when it ran out of time. Without `kill` the
    pipe has closed, and only the child's exit closes it: waiting is then immediate."""
    try:
        if kill:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        return os.waitpid(pid, 0)[1]
    except ChildProcessError:  # reaped by someone else's SIGCHLD handler
        return -1


class _SafeUnpickler(pickle.Unpickler):
    """Plain containers, numbers, strings and the datetime types calamine returns; nothing else."""

    ALLOWED = frozenset(("datetime", name) for name in ("date", "datetime", "time", "timedelta"))

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in self.ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name} is not allowed")
        return super().find_class(module, name)


def _read(data: bytes, names_only: bool) -> tuple:
    """In the child: the checks of check_workbook_bytes, then calamine."""
    try:
        if not names_only:
            check_workbook_bytes(data)
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = list(book.sheet_names)
        grids = {} if names_only else {n: book.get_sheet_by_name(n).to_python(skip_empty_area=False) for n in names}
        return ("ok", names, grids)
    except WorkbookProblem as exc:
        return ("problem", str(exc))
    except MemoryError:
        return ("failed", "読み取りに使えるメモリの上限を超えました")
    except BaseException as exc:  # calamine's PanicException derives from BaseException
        if type(exc).__name__ == "PasswordError":
            return ("problem", "パスワードで保護されたファイルは読み込めません。保護を外して保存し直してください。")
        detail = " ".join(str(exc).split())[:300]
        return ("failed", f"{type(exc).__name__}{': ' + detail if detail else ''}")


def _child(data: bytes, fd: int, seconds: int, memory: int, names_only: bool) -> NoReturn:
    """In the forked child: limits first, then read, answer through `fd` and leave with os._exit — never
    returning into the server's code (its sockets and database connections belong to the parent)."""
    code = 1
    try:
        # The worker's sockets, database connections and other readers' pipes are not the child's business:
        # closed here, they cannot outlive the worker nor delay another reader's end of file.
        os.closerange(3, fd)
        os.closerange(fd + 1, os.sysconf("SC_OPEN_MAX"))
        with contextlib.suppress(Exception):  # Linux: die with the worker (kill -9 leaves no reader behind)
            ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL))  # 1 = PR_SET_PDEATHSIG
        # A hung child (calamine can deadlock after a failed allocation, a panic while panicking) sleeps on
        # a futex where no CPU-time limit fires; SIGALRM's default action ends it (pytest installs a handler).
        signal.signal(signal.SIGALRM, signal.SIG_DFL)
        signal.alarm(seconds + 1)
        os.environ["RUST_BACKTRACE"] = "0"  # a crash leaves one line in the server's log, not a page
        hard = resource.getrlimit(resource.RLIMIT_AS)[1]
        soft = _address_space() + memory
        resource.setrlimit(resource.RLIMIT_AS, (soft if hard == resource.RLIM_INFINITY else min(soft, hard), hard))
        answer = memoryview(pickle.dumps(_read(data, names_only), protocol=pickle.HIGHEST_PROTOCOL))
        while answer:
            answer = answer[os.write(fd, answer) :]
        code = 0
    finally:
        os._exit(code)


def _address_space() -> int:
    """Bytes of address space the child already has: everything the forked worker had mapped."""
    with open("/proc/self/statm", encoding="ascii") as f:
        return int(f.read().split()[0]) * resource.getpagesize()
