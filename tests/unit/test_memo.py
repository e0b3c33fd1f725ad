"""Answers kept for one data version (publication/memo.py): read once per version, never across versions."""

from __future__ import annotations

import pytest

from shinchoku.publication.memo import at_version, per_version


def _counted():
    calls: list[tuple] = []

    @per_version
    def read(a: int, *, b: int = 0) -> tuple[int, int]:
        calls.append((a, b))
        if a < 0:
            raise LookupError(a)
        return (a, b)

    return read, calls


def test_without_a_version_every_call_reads():
    read, calls = _counted()
    assert read(1) == read(1) == (1, 0)
    assert len(calls) == 2


def test_within_a_version_each_arguments_are_read_once_and_a_new_version_reads_again():
    read, calls = _counted()
    with at_version("7"):
        assert read(1) == (1, 0) and read(1) == (1, 0) and read(1, b=2) == (1, 2) and read(1, b=2) == (1, 2)
    assert calls == [(1, 0), (1, 2)]
    with at_version("8"):
        assert read(1) == (1, 0)
    assert calls == [(1, 0), (1, 2), (1, 0)]
    assert read(1) == (1, 0) and len(calls) == 4  # outside any version: read as usual


def test_a_failed_read_is_not_kept():
    read, calls = _counted()
    with at_version("7"):
        for _ in range(2):
            with pytest.raises(LookupError):
                read(-1)
    assert calls == [(-1, 0), (-1, 0)]


def test_the_version_is_restored_after_the_block():
    read, calls = _counted()
    with at_version("1"):
        with at_version(None):
            read(1)
            read(1)
        read(1)
        read(1)
    assert len(calls) == 3
