"""Step statuses: labels, codes, symbols, and reading what people put in spreadsheet cells."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shinchoku.domain.status import STATUS_CODES, Status, StatusError, parse_status


def test_each_status_has_the_published_label_code_and_symbol() -> None:
    assert [(s.value, s.label, s.code, s.symbol) for s in Status] == [
        ("completed", "完了済み", "C", "●"),
        ("in_progress", "作業中", "P", "◐"),
        ("not_started", "未着手", "N", "○"),
        ("not_applicable", "対象外", "X", "－"),
    ]


def test_symbols_are_distinct_so_no_colour_is_needed() -> None:
    assert len({s.symbol for s in Status}) == len(Status)


def test_status_codes_string_lists_the_codes_in_order() -> None:
    assert STATUS_CODES == "".join(s.code for s in Status) == "CPNX"


def test_status_is_a_string_equal_to_its_api_value() -> None:
    assert Status.COMPLETED == "completed"
    assert isinstance(Status.NOT_APPLICABLE, str)
    assert Status("in_progress") is Status.IN_PROGRESS


@pytest.mark.parametrize("status", list(Status))
def test_from_code_round_trips(status: Status) -> None:
    assert Status.from_code(status.code) is status
    assert Status.from_code(status.code.lower()) is status


def test_unknown_code_is_rejected() -> None:
    with pytest.raises(StatusError):
        Status.from_code("Z")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("完了済み", Status.COMPLETED),
        ("完了", Status.COMPLETED),
        ("完了済", Status.COMPLETED),
        ("済", Status.COMPLETED),
        ("●", Status.COMPLETED),
        ("作業中", Status.IN_PROGRESS),
        ("作業中（遅延）", Status.IN_PROGRESS),
        ("作業中(遅延)", Status.IN_PROGRESS),
        ("◐", Status.IN_PROGRESS),
        ("▲", Status.IN_PROGRESS),
        ("未着手", Status.NOT_STARTED),
        ("未", Status.NOT_STARTED),
        ("○", Status.NOT_STARTED),
        ("対象外", Status.NOT_APPLICABLE),
        ("実施しない", Status.NOT_APPLICABLE),
        ("対象外（実施しない）", Status.NOT_APPLICABLE),
        ("×", Status.NOT_APPLICABLE),
        ("✕", Status.NOT_APPLICABLE),
        ("X", Status.NOT_APPLICABLE),
        ("x", Status.NOT_APPLICABLE),
        ("Ｘ", Status.NOT_APPLICABLE),
        (" 完了済み\u3000", Status.COMPLETED),
    ],
)
def test_synonyms_from_government_files_are_understood(text: str, expected: Status) -> None:
    assert parse_status(text) is expected


@pytest.mark.parametrize("empty", [None, "", " ", "\u3000", "\t\n"])
def test_empty_cell_means_not_started(empty: object) -> None:
    assert parse_status(empty) is Status.NOT_STARTED


@pytest.mark.parametrize("status", list(Status))
def test_every_way_we_write_a_status_reads_back(status: Status) -> None:
    for written in (status, status.value, status.label, status.code, status.symbol):
        assert parse_status(written) is status


@pytest.mark.parametrize(("typo", "meant"), [("未着", "未着手"), ("完了ずみ", "完了済み"), ("作業ちゅう", "作業中")])
def test_typo_is_rejected_with_the_closest_label_suggested(typo: str, meant: str) -> None:
    with pytest.raises(StatusError) as error:
        parse_status(typo)
    assert error.value.value == typo
    assert error.value.suggestion == meant
    assert f"「{typo}」" in str(error.value)
    assert f"「{meant}」のことですか" in str(error.value)


def test_nonsense_is_rejected_without_a_suggestion() -> None:
    with pytest.raises(StatusError) as error:
        parse_status("qwerty")
    assert error.value.suggestion is None
    assert "使える値: 完了済み・作業中・未着手・対象外" in str(error.value)


def test_status_error_is_a_value_error() -> None:
    assert issubclass(StatusError, ValueError)


@given(st.text(max_size=8))
def test_parse_status_either_reads_a_status_or_raises_status_error(text: str) -> None:
    try:
        assert isinstance(parse_status(text), Status)
    except StatusError as error:
        assert error.suggestion is None or error.suggestion in {s.label for s in Status}
