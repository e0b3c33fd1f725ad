"""Python's cyclic garbage collector paused during a bulk build (the sample, an import, open data files).

Building the national sample creates millions of objects that all stay alive until the build ends (the
generated history, the rows to insert, the months' rollups). The collector's full passes walk every one of
them again and again while nothing is garbage: `shinchoku demo` of the national sample took 94 s of CPU with
the collector and 63 s without it, for the same peak memory (500 MB). Reference counting still frees what
the build lets go; the collector runs again as soon as the block ends. The importers (1.4 million row objects
of the national workbook) and the open data build pause it the same way.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["collector_paused"]


@contextmanager
def collector_paused() -> Iterator[None]:
    """The block runs without the cyclic collector; it is enabled again after (if it was), even on errors."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
