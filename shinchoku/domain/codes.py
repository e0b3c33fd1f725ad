"""全国地方公共団体コード: check digit, cleaning and normalisation of codes found in the wild."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container

__all__ = [
    "CodeError",
    "check_digit",
    "clean_digits",
    "code_candidates",
    "is_valid_code",
    "normalize_code",
    "prefecture_code",
    "prefecture_org_code",
]

# ASCII only: str.isdigit() would also accept "²" or Arabic-Indic digits.
_DIGITS = re.compile(r"[0-9]+")
_WEIGHTS = (6, 5, 4, 3, 2)
_LENGTH_MESSAGE = "全国地方公共団体コードは5桁または6桁の数字で入力してください"


class CodeError(ValueError):
    """A code that cannot be read or does not exist; str(e) is shown to users as is."""


def check_digit(first5: str) -> int:
    """The check digit of a 5-digit code (総務省's rule, verified on all 1,788 団体)."""
    if len(first5) != 5 or not _DIGITS.fullmatch(first5):
        raise CodeError(f"チェックディジットの計算には5桁の数字が必要です: {first5}")
    total = sum(w * int(d) for w, d in zip(_WEIGHTS, first5, strict=True))
    return (11 - total % 11) % 10


def is_valid_code(code6: str) -> bool:
    """True for exactly six ASCII digits whose last one is the right check digit."""
    if len(code6) != 6 or not _DIGITS.fullmatch(code6):
        return False
    return check_digit(code6[:5]) == int(code6[5])


def clean_digits(value: str) -> str:
    """The ASCII digits of a code as typed or exported (full-width, padded, Excel "42021.0")."""
    text = "".join(unicodedata.normalize("NFKC", str(value)).split())
    # Excel hands numeric cells over as floats.
    if text.endswith(".0"):
        text = text[:-2]
    if not _DIGITS.fullmatch(text):
        raise CodeError(_LENGTH_MESSAGE)
    return text


def code_candidates(value: str) -> list[str]:
    """Every 6-digit code the value may stand for, most likely first."""
    digits = clean_digits(value)
    if len(digits) == 6:
        expected = check_digit(digits[:5])
        if int(digits[5]) != expected:
            detail = f"{digits[:5]} の正しいチェックディジットは {expected} です"
            raise CodeError(f"チェックディジットが一致しません（{detail}）")
        return [digits]
    if len(digits) == 5:
        candidates = [digits + str(check_digit(digits))]
        # A 6-digit code read as a number loses its leading zero (042021 → 42021).
        padded = "0" + digits
        if is_valid_code(padded) and padded not in candidates:
            candidates.append(padded)
        return candidates
    if len(digits) == 4:
        # A 5-digit code read as a number: 04202 → 4202.
        return ["0" + digits + str(check_digit("0" + digits))]
    raise CodeError(_LENGTH_MESSAGE)


def normalize_code(value: str, known: Container[str] | None = None) -> str:
    """The one 6-digit code meant by value, using the known codes to settle a dropped zero."""
    candidates = code_candidates(value)
    if known is not None:
        candidates = [c for c in candidates if c in known]
    if not candidates:
        raise CodeError(f"該当する団体がありません: {value}")
    if len(candidates) > 1:
        raise CodeError(f"コード {value} は複数の団体を指す可能性があります: {'、'.join(candidates)}")
    return candidates[0]


def prefecture_code(code6: str) -> str:
    """The 2-digit 都道府県コード of a 団体 code (5- or 6-digit form)."""
    digits = clean_digits(code6)
    if len(digits) not in (5, 6):
        raise CodeError(_LENGTH_MESSAGE)
    return digits[:2]


def prefecture_org_code(pref2: str) -> str:
    """The 団体 code of a prefecture itself (04 → 040002), for rows that name only the prefecture."""
    digits = clean_digits(pref2).zfill(2)
    if len(digits) != 2 or not 1 <= int(digits) <= 47:
        raise CodeError(f"都道府県コードは01〜47の2桁で入力してください: {pref2}")
    first5 = digits + "000"
    return first5 + str(check_digit(first5))
