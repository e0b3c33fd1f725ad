"""A CSV is read with bounded memory: a record of too many columns or a field too long is refused with a
Japanese message after one line, not after building millions of strings."""

from __future__ import annotations

import tracemalloc

import pytest

from shinchoku.imports.context import load_reference_context
from shinchoku.imports.decoding import MAX_COLUMNS, MAX_FIELD_CHARS, DecodeProblem, read_csv_records
from shinchoku.imports.parse import parse

CTX = load_reference_context("wide.csv")


def test_a_million_columns_are_refused_with_little_memory() -> None:
    text = ",".join(f"c{i}" for i in range(1_000_000)) + "\n"  # 6.9 MB of ASCII
    tracemalloc.start()
    try:
        with pytest.raises(DecodeProblem, match="1 行目の列が多すぎます"):
            read_csv_records(text)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 30 * 1024 * 1024, peak  # one copy of the line; a million strings and their list took ~70 MB


def test_a_wide_file_is_refused_by_the_import_in_japanese() -> None:
    text = "全国地方公共団体コード," + ",".join(f"c{i}" for i in range(5_000)) + "\n042021,x\n"
    result = parse(text.encode(), CTX)
    assert not result.ok
    assert result.problems[0].message.startswith(f"1 行目の列が多すぎます（{MAX_COLUMNS:,} 列まで）")


def test_columns_spread_over_quoted_line_breaks_count_as_one_record() -> None:
    line = ",".join(["a"] * 600)
    text = f'{line},"x\ny",{line}\n'  # 1,201 fields in one record over two lines of 601 each
    with pytest.raises(DecodeProblem, match="2 行目の列が多すぎます"):
        read_csv_records(text)


def test_the_widest_allowed_record_is_read() -> None:
    text = ",".join(["a"] * MAX_COLUMNS) + "\n"
    assert len(read_csv_records(text)[0]) == MAX_COLUMNS


def test_a_field_over_the_limit_is_refused_in_japanese() -> None:
    text = 'a,b\n1,"' + "x" * (MAX_FIELD_CHARS + 1) + '"\n'
    with pytest.raises(DecodeProblem, match="2 行目に長すぎる値があります"):
        read_csv_records(text)
    result = parse(text.encode(), CTX)
    assert not result.ok and "長すぎる値" in result.problems[0].message
