"""全国地方公共団体コード: check digit, tolerant reading, clear Japanese errors."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shinchoku.domain.codes import (
    CodeError,
    check_digit,
    clean_digits,
    code_candidates,
    is_valid_code,
    normalize_code,
    prefecture_code,
    prefecture_org_code,
)

five_digits = st.text(alphabet="0123456789", min_size=5, max_size=5)
valid_codes = five_digits.map(lambda d: d + str(check_digit(d)))
# Codes whose first digit is 0 and second is not (prefectures 01–09), built directly rather than filtered
leading_zero_codes = st.builds(
    lambda second, rest: f"0{second}{rest}" + str(check_digit(f"0{second}{rest}")),
    st.sampled_from("123456789"),
    st.text(alphabet="0123456789", min_size=3, max_size=3),
)


def test_check_digit_matches_published_examples() -> None:
    # 石巻市 04202 → 042021: S = 6·0 + 5·4 + 4·2 + 3·0 + 2·2 = 32; 32 mod 11 = 10; (11 − 10) mod 10 = 1.
    assert check_digit("04202") == 1
    # 札幌市 01100 → 011002: S = 0 + 5 + 4 + 0 + 0 = 9; (11 − 9) mod 10 = 2.
    assert check_digit("01100") == 2


def test_check_digit_wraps_ten_to_zero() -> None:
    # 20000: S = 6·2 = 12; 12 mod 11 = 1; 11 − 1 = 10; 10 mod 10 = 0.
    assert check_digit("20000") == 0
    # 11000: S = 6 + 5 = 11; 11 mod 11 = 0; (11 − 0) mod 10 = 1.
    assert check_digit("11000") == 1


def test_check_digit_needs_exactly_five_ascii_digits() -> None:
    for bad in ("0420", "042021", "04a02", "０４２０２"):
        with pytest.raises(CodeError):
            check_digit(bad)


def test_every_code_in_the_reference_list_is_valid(municipality_rows: list[dict[str, str]]) -> None:
    codes = [row["全国地方公共団体コード"] for row in municipality_rows]
    assert len(codes) == 1788
    assert [c for c in codes if not is_valid_code(c)] == []


def test_reference_list_holds_47_prefectures_and_1741_municipalities(
    municipality_rows: list[dict[str, str]],
) -> None:
    prefectures = [r for r in municipality_rows if not r["市区町村名"]]
    assert len(prefectures) == 47
    assert len(municipality_rows) - len(prefectures) == 1741


def test_prefecture_code_is_the_first_two_digits(municipality_rows: list[dict[str, str]]) -> None:
    assert prefecture_code("042021") == "04"
    assert all(prefecture_code(r["全国地方公共団体コード"]) == r["都道府県コード"] for r in municipality_rows)


def test_prefecture_org_code_matches_the_prefecture_rows(municipality_rows: list[dict[str, str]]) -> None:
    prefectures = [r for r in municipality_rows if not r["市区町村名"]]
    assert all(prefecture_org_code(r["都道府県コード"]) == r["全国地方公共団体コード"] for r in prefectures)
    assert prefecture_org_code("4") == "040002"


def test_prefecture_org_code_rejects_codes_outside_01_to_47() -> None:
    for bad in ("00", "48", "123"):
        with pytest.raises(CodeError, match="都道府県コード"):
            prefecture_org_code(bad)


def test_wrong_check_digit_is_rejected_with_japanese_message() -> None:
    with pytest.raises(CodeError, match="チェックディジットが一致しません") as error:
        normalize_code("042022")
    assert "04202 の正しいチェックディジットは 1 です" in str(error.value)


def test_full_width_digits_are_accepted() -> None:
    assert normalize_code("０４２０２１") == "042021"


def test_surrounding_spaces_including_ideographic_space_are_ignored() -> None:
    assert normalize_code("\u3000042021 \t") == "042021"


def test_excel_float_suffix_is_dropped() -> None:
    assert clean_digits("42021.0") == "42021"


def test_dropped_leading_zero_is_resolved_with_the_known_codes(known_codes: frozenset[str]) -> None:
    assert normalize_code("42021", known_codes) == "042021"
    assert normalize_code("42021.0", known_codes) == "042021"


def test_five_digit_form_gets_its_check_digit(known_codes: frozenset[str]) -> None:
    assert normalize_code("04202", known_codes) == "042021"


def test_four_digits_are_a_five_digit_code_that_lost_its_zero() -> None:
    assert code_candidates("4202") == ["042021"]


def test_five_digits_may_mean_two_codes_and_both_are_listed() -> None:
    # 42021 + check digit: S = 24 + 10 + 0 + 6 + 2 = 42 → (11 − 9) mod 10 = 2 → 420212; or 042021 unzeroed.
    assert code_candidates("42021") == ["420212", "042021"]
    with pytest.raises(CodeError, match="420212、042021"):
        normalize_code("42021")


def test_code_not_in_the_known_set_is_reported() -> None:
    with pytest.raises(CodeError, match="該当する団体がありません: 042021"):
        normalize_code("042021", known={"011002"})


@pytest.mark.parametrize("read", [normalize_code, code_candidates])
@pytest.mark.parametrize("value", ["", "abc", "04-2021", "04202１x", "042021.5", "1", "123", "1234567"])
def test_anything_but_five_or_six_digits_is_rejected_with_the_length_message(
    read: Callable[[str], object], value: str
) -> None:
    with pytest.raises(CodeError, match="5桁または6桁の数字"):
        read(value)


def test_is_valid_code_is_strict_about_form() -> None:
    assert is_valid_code("042021")
    assert not is_valid_code("42021")
    assert not is_valid_code("０４２０２１")
    assert not is_valid_code(" 042021")


def test_code_error_is_a_value_error() -> None:
    assert issubclass(CodeError, ValueError)


@given(five_digits)
def test_any_five_digits_plus_check_digit_is_valid(first5: str) -> None:
    assert is_valid_code(first5 + str(check_digit(first5)))


@given(five_digits, st.integers(min_value=1, max_value=9))
def test_changing_the_check_digit_makes_a_code_invalid(first5: str, shift: int) -> None:
    wrong = (check_digit(first5) + shift) % 10
    assert not is_valid_code(first5 + str(wrong))
    with pytest.raises(CodeError, match="チェックディジット"):
        code_candidates(first5 + str(wrong))


@given(valid_codes)
def test_valid_code_normalises_to_itself_in_any_width(code: str) -> None:
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in code)
    assert unicodedata.normalize("NFKC", full_width) == code
    assert normalize_code(full_width) == code
    assert normalize_code(code) == code


@given(valid_codes)
def test_five_digit_form_of_a_known_code_normalises_back(code: str) -> None:
    assert normalize_code(code[:5], known={code}) == code


@given(leading_zero_codes)
def test_code_read_as_a_number_normalises_back(code: str) -> None:
    # Prefecture codes are 01–47, so a number loses at most one leading zero.
    assert normalize_code(str(int(code)), known={code}) == code
