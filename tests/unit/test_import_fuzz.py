"""parse() never raises: junk, truncated, mis-encoded and odd spreadsheets all come back as a ParseResult."""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import io
import re
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from shinchoku.domain.codes import is_valid_code
from shinchoku.domain.status import Status
from shinchoku.imports import isolation
from shinchoku.imports.context import load_reference_context
from shinchoku.imports.parse import parse
from shinchoku.imports.problems import MAX_STORED, Problem
from shinchoku.imports.rows import ParseResult
from tests.unit.soumu_sheet import soumu_rows, statuses

LONG_HEADER = "全国地方公共団体コード,対象システム,作業ステップ,状態,基準日"
LONG_VALID = f"""{LONG_HEADER},作業ステップ名,備考
042021,住民基本台帳,1,完了済み,2024-10-31,,
42021,戸籍附票,独自1,◐,R6.10.31,庁内説明会,
132063,統合収納管理,40,未,令和6年10月31日,,'=1+1
"""

FORMATS = ("auto", "soumu", "long", "matrix")
CTX = load_reference_context("fuzz.bin")
# A context that supplies --org and --as-of, so a matrix is possible from any table.
CTX_ORG = dataclasses.replace(CTX, org="042021", as_of=date(2026, 1, 31))


FUZZ = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check(result: object) -> ParseResult:
    """The invariants of every result, valid input or not."""
    assert isinstance(result, ParseResult)
    assert all(isinstance(p, Problem) and p.severity in ("error", "warning") for p in result.problems)
    assert all(isinstance(p.format(), str) and p.message for p in result.problems)
    assert len(result.errors) <= MAX_STORED + 1 and len(result.warnings) <= MAX_STORED + 1
    for row in result.rows:
        assert (row.step is None) != (row.own_step is None)
        assert row.step is None or 1 <= row.step <= 40
        assert row.own_step is None or row.own_step >= 1
        assert isinstance(row.status, Status) and isinstance(row.as_of, date)
        assert is_valid_code(row.org_code) and row.system_name
    return result


def failed(result: object) -> ParseResult:
    checked = check(result)
    assert not checked.ok and checked.errors
    return checked


@contextlib.contextmanager
def one_read_per_workbook() -> Iterator[None]:
    """Parsing the same bytes in every format: the child process reads them once (isolation.read_book) and each
    format's parse gets its own copy of what that read returned or raised. What each parser sees is unchanged;
    only the repeated forks of an identical read are saved (a fork of a pytest worker costs tens of ms)."""
    real = isolation.read_book
    memo: dict[tuple[bytes, bool], tuple[bool, Any]] = {}

    def read(data: bytes, *, names_only: bool = False) -> Any:
        key = (data, names_only)
        if key not in memo:
            try:
                memo[key] = (True, real(data, names_only=names_only))
            except Exception as exc:
                memo[key] = (False, exc)
        ok, value = memo[key]
        if not ok:
            raise copy.copy(value)
        return copy.deepcopy(value)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(isolation, "read_book", read)
        yield


def xlsx(build: Callable[[Workbook], None]) -> bytes:
    wb = Workbook()
    build(wb)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def soumu_book(wb: Workbook) -> None:
    ws = wb.active
    assert ws is not None
    ws.title = "業務別ステップ別進捗一覧"
    for row in soumu_rows(
        [
            ["宮城県", "石巻市", "住民基本台帳", *statuses(s3="作業中")],
            ["東京都", "府中市", "戸籍附票", *statuses("未着手", s1="完了済み")],
        ]
    ):
        ws.append(row)


VALID_SOUMU = xlsx(soumu_book)
VALID_LONG = LONG_VALID.encode("utf-8")
VALID_MATRIX = "作業ステップ,住民基本台帳,戸籍\n1,●,×\n2,完了,未\n独自1,作業中,\n".encode()


@FUZZ
@given(data=st.binary(max_size=4096), fmt=st.sampled_from(FORMATS))
def test_random_bytes(data: bytes, fmt: str) -> None:
    failed(parse(data, CTX, fmt))


@FUZZ
@given(data=st.binary(max_size=2048), fmt=st.sampled_from(FORMATS))
def test_random_bytes_behind_workbook_magic(data: bytes, fmt: str) -> None:
    for magic in (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        failed(parse(magic + data, CTX, fmt))


@FUZZ
@given(cut=st.integers(min_value=0, max_value=len(VALID_SOUMU) - 1), fmt=st.sampled_from(FORMATS))
def test_truncated_workbook(cut: int, fmt: str) -> None:
    failed(parse(VALID_SOUMU[:cut], CTX, fmt))


@FUZZ
@given(cut=st.integers(min_value=0, max_value=len(VALID_LONG)), fmt=st.sampled_from(("auto", "long", "matrix")))
def test_truncated_csv(cut: int, fmt: str) -> None:
    data = VALID_LONG[:cut]
    result = check(parse(data, CTX, fmt))
    if fmt != "matrix" and data.endswith(b"\n") and data.count(b"\n") >= 2:
        # Cut at a line end: the rows before it are a valid long CSV.
        assert result.ok, [p.format() for p in result.problems]
        assert len(result.rows) == data.count(b"\n") - 1


@FUZZ
@given(position=st.lists(st.integers(min_value=0, max_value=len(LONG_VALID)), max_size=5))
def test_bom_in_odd_places(position: list[int]) -> None:
    text = LONG_VALID
    for pos in sorted(position, reverse=True):
        text = text[:pos] + "\ufeff" + text[pos:]
    expected = parse(VALID_LONG, CTX).rows
    for encoding in ("utf-8", "utf-8-sig"):
        result = check(parse(text.encode(encoding), CTX))
        assert result.ok and result.rows == expected


@FUZZ
@given(text=st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0xFF), min_size=1, max_size=300))
def test_latin1_bytes(text: str) -> None:
    data = text.encode("latin-1")
    for fmt in FORMATS:
        failed(parse(data, CTX, fmt))


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
@pytest.mark.parametrize("valid", [LONG_VALID, VALID_MATRIX.decode()])
def test_wrong_encodings(encoding: str, valid: str) -> None:
    for fmt in FORMATS:
        failed(parse(valid.encode(encoding), CTX_ORG, fmt))


@pytest.mark.parametrize("fmt", FORMATS)
def test_valid_inputs_have_no_errors(fmt: str) -> None:
    for data, kind in ((VALID_SOUMU, "soumu"), (VALID_LONG, "long"), (VALID_MATRIX, "matrix")):
        result = check(parse(data, CTX_ORG, fmt))
        if fmt in ("auto", kind):
            assert result.ok and result.rows and result.format == kind, [p.format() for p in result.problems]
        elif fmt == "soumu" or (kind == "soumu" and fmt == "long"):
            assert not result.ok


@FUZZ
@given(
    cells=st.lists(
        st.tuples(
            st.integers(0, 8),
            st.integers(0, 44),
            st.sampled_from(["=1+1", "=A1", "=SUM(D4:D5)", '="完了済み"', "=1/0"]),
        ),
        max_size=12,
    )
)
def test_formula_cells(cells: list[tuple[int, int, str]]) -> None:
    def build(wb: Workbook) -> None:
        soumu_book(wb)
        ws = wb.active
        assert ws is not None
        for r, c, formula in cells:
            ws.cell(row=r + 1, column=c + 1, value=formula)

    data = xlsx(build)
    with one_read_per_workbook():
        for fmt in FORMATS:
            check(parse(data, CTX_ORG, fmt))


@FUZZ
@given(
    ranges=st.lists(st.tuples(st.integers(1, 6), st.integers(1, 44), st.integers(0, 2), st.integers(0, 3)), max_size=4)
)
def test_merged_cells(ranges: list[tuple[int, int, int, int]]) -> None:
    def build(wb: Workbook) -> None:
        soumu_book(wb)
        ws = wb.active
        assert ws is not None
        for row, col, height, width in ranges:
            with contextlib.suppress(ValueError):  # overlapping ranges
                ws.merge_cells(start_row=row, start_column=col, end_row=row + height, end_column=col + width)

    data = xlsx(build)
    with one_read_per_workbook():
        for fmt in FORMATS:
            check(parse(data, CTX_ORG, fmt))


def test_merged_title_and_header_cells_still_parse() -> None:
    def build(wb: Workbook) -> None:
        soumu_book(wb)
        ws = wb.active
        assert ws is not None
        ws.merge_cells("A1:J1")
        ws.merge_cells("A2:C2")

    result = check(parse(xlsx(build), CTX))
    assert result.ok and len(result.rows) == 80


@pytest.mark.parametrize("fmt", FORMATS)
def test_empty_sheets(fmt: str) -> None:
    def empty(wb: Workbook) -> None:
        wb.create_sheet("二枚目")

    def empty_first(wb: Workbook) -> None:
        soumu_book(wb)
        wb.move_sheet(wb.create_sheet("表紙"), offset=-1)

    failed(parse(xlsx(empty), CTX_ORG, fmt))
    result = check(parse(xlsx(empty_first), CTX_ORG, fmt))
    assert result.ok == (fmt in ("auto", "soumu"))


@FUZZ
@given(
    rows=st.lists(
        st.lists(
            st.one_of(
                st.text(max_size=12),
                st.integers(-5, 100),
                st.floats(allow_nan=True),
                st.booleans(),
                st.dates(),
                st.none(),
            ),
            max_size=8,
        ),
        max_size=15,
    ),
    fmt=st.sampled_from(FORMATS),
)
def test_random_typed_cells_in_a_workbook(rows: list[list[object]], fmt: str) -> None:
    def build(wb: Workbook) -> None:
        ws = wb.active
        assert ws is not None
        for row in rows:
            ws.append([re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", v) if isinstance(v, str) else v for v in row])

    check(parse(xlsx(build), CTX_ORG, fmt))


@FUZZ
@given(
    lines=st.lists(
        st.lists(
            st.sampled_from(
                [
                    "042021",
                    "住民記録",
                    "独自1",
                    "41",
                    "●",
                    "未着",
                    "R6.10.31",
                    "",
                    '"',
                    "x",
                    "1",
                    "完了済み",
                    "2024-10-31",
                    "府中市",
                ]
            ),
            max_size=7,
        ),
        max_size=12,
    ),
    fmt=st.sampled_from(("auto", "long", "matrix")),
)
def test_random_tables_under_a_long_header(lines: list[list[str]], fmt: str) -> None:
    text = LONG_HEADER + "\n" + "\n".join(",".join(line) for line in lines)
    check(parse(text.encode("utf-8"), CTX_ORG, fmt))


def test_100000_junk_rows_stay_cheap() -> None:
    junk = "\n".join(f"x{i},？？,{i % 97},まだ,someday" for i in range(100_000))
    data = (LONG_HEADER + "\n" + junk).encode("utf-8")
    result = failed(parse(data, CTX))
    assert len(result.errors) == MAX_STORED + 1  # the report stays small: the rest are counted, not stored
    assert re.match(r"ほか \d+ 件のエラー", result.errors[-1].message)
    plain = failed(parse(junk.encode("utf-8"), CTX_ORG))  # no header at all: one clear error
    assert len(plain.errors) <= MAX_STORED + 1
