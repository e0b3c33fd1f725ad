"""The checks every import format shares: header columns, repeated columns, the 基準日 to use, a cell's error."""

from __future__ import annotations

from datetime import date

from shinchoku.domain.names import fold_name
from shinchoku.imports.problems import (
    FirstColumns,
    ProblemList,
    given_as_of,
    has_columns,
    header_index,
    read_header,
)
from shinchoku.imports.rows import FieldError

KNOWN = {fold_name("団体コード"): "団体コード", fold_name("基準日"): "基準日"}


def test_read_header_maps_known_columns_and_warns_about_others():
    problems = ProblemList("a.csv")
    index, labels = read_header(["団体コード", "", "メモ", "基準日"], 1, KNOWN, problems)
    assert index == {"団体コード": 0, "基準日": 3}
    assert labels == {"団体コード": "A列（団体コード）", "基準日": "D列（基準日）"}
    [warning] = problems.to_list()
    assert (warning.severity, warning.column, warning.value) == ("warning", "C列（メモ）", "メモ")
    assert warning.message == "列「メモ」は使わない列なので無視します。"


def test_read_header_refuses_a_column_named_twice_and_keeps_the_first():
    problems = ProblemList("a.csv")
    index, _labels = read_header(["団体コード", "団体コード"], 1, KNOWN, problems)
    assert index == {"団体コード": 0}
    [error] = problems.to_list()
    assert error.message == "列「団体コード」が2つあります（A列（団体コード）とB列（団体コード））。"


def test_has_columns_names_the_missing_ones_and_the_header_expected():
    problems = ProblemList("a.csv")
    assert has_columns({"団体コード": 0}, ["団体コード"], 1, problems, header=["団体コード", "基準日"])
    assert not has_columns({"団体コード": 0}, ["団体コード", "基準日"], 1, problems, header=["団体コード", "基準日"])
    [error] = problems.to_list()
    assert error.message == "必須の列がありません: 基準日（1行目は見出し行で、団体コード,基準日 が必要です）。"
    assert error.expected == "団体コード,基準日"


def test_header_index_skips_empty_records_and_reports_an_empty_file():
    problems = ProblemList("a.csv")
    assert header_index([["", None], ["団体コード"]], problems) == 1
    assert problems.to_list() == []
    assert header_index([[""], []], problems) is None
    assert [p.message for p in problems.to_list()] == ["ファイルに見出し行もデータもありません。"]


def test_first_columns_reports_a_repeated_key_citing_the_first_column():
    problems = ProblemList("a.xlsx")
    first = FirstColumns(problems, row=3)
    assert not first.repeated("住民記録", "システム「住民記録」の列", "B列（住民記録）", "住民記録")
    assert first.repeated("住民記録", "システム「住民記録」の列", "D列（住民基本台帳）", "住民基本台帳")
    assert not first.repeated(2, "作業ステップ 2 の列", "E列（①-2）", "①-2", cite="E列")
    assert first.repeated(2, "作業ステップ 2 の列", "F列（①-2）", "①-2")
    assert [(p.message, p.row, p.column) for p in problems.to_list()] == [
        ("システム「住民記録」の列が重複しています（B列（住民記録）と同じ）。", 3, "D列（住民基本台帳）"),
        ("作業ステップ 2 の列が重複しています（E列と同じ）。", 3, "F列（①-2）"),
    ]


def test_given_as_of_prefers_the_given_month_and_warns_when_the_file_says_another():
    problems = ProblemList("a.xlsx")

    def differs(found: date, given: date) -> str:
        return f"{found} ≠ {given}"

    given = date(2026, 1, 31)
    assert given_as_of(date(2026, 1, 15), given, problems, differs=differs, unknown="?") == given
    assert problems.to_list() == []
    assert given_as_of(date(2025, 12, 31), given, problems, differs=differs, unknown="?") == given
    assert given_as_of(None, None, problems, differs=differs, unknown="基準日が分かりません。") is None
    assert given_as_of(date(2025, 12, 31), None, problems, differs=differs, unknown="?") == date(2025, 12, 31)
    assert [(p.severity, p.message) for p in problems.to_list()] == [
        ("warning", "2025-12-31 ≠ 2026-01-31"),
        ("error", "基準日が分かりません。"),
    ]


def test_field_error_report_keeps_its_expected_and_suggestion():
    problems = ProblemList("a.csv")
    FieldError("「済」は状態として読めません。", expected="完了・作業中", suggestion="完了").report(
        problems, row=4, column="E列（状態）", value="済"
    )
    [error] = problems.to_list()
    assert (error.row, error.column, error.value, error.expected, error.suggestion) == (
        4,
        "E列（状態）",
        "済",
        "完了・作業中",
        "完了",
    )
