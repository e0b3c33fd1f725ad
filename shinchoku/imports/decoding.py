"""Text files: UTF-8 (with or without BOM) or CP932, detected; anything else is refused in Japanese."""

from __future__ import annotations

import codecs
import csv
import re
from collections.abc import Iterator

__all__ = ["MAX_COLUMNS", "MAX_FIELD_CHARS", "DecodeProblem", "decode_text", "read_csv_records"]

_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_UTF32_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)
_ADVICE = "UTF-8 または Shift_JIS（CP932）の CSV で保存し直してください"
# charset-normalizer's guesses we are willing to act on: Japanese encodings and UTF-8 variants. A guess
# of, say, cp1252 for a Japanese file is mojibake, which is worse than a clear refusal.
_ACCEPTED_GUESSES = frozenset(
    {
        "utf_8",
        "cp932",
        "shift_jis",
        "shift_jis_2004",
        "shift_jisx0213",
        "euc_jp",
        "euc_jis_2004",
        "euc_jisx0213",
        "iso2022_jp",
        "iso2022_jp_2",
        "iso2022_jp_ext",
    }
)
# BOMs and zero-width characters copied into the middle of a file (concatenated exports) mean nothing.
_INVISIBLE = dict.fromkeys(map(ord, "\ufeff\u200b\u2060"), None)


# Bounds of a CSV record: the widest file we read (a 団体's matrix, the 26 procedures) has a few dozen
# columns; the field limit is the csv module's own default, stated.
MAX_COLUMNS = 1_000
MAX_FIELD_CHARS = 131_072
csv.field_size_limit(MAX_FIELD_CHARS)
# A physical line with its ending (\r\n, \r or \n), as a file opened with newline="" gives them to csv.
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")


class DecodeProblem(ValueError):
    """The bytes are not text in an encoding we read; str(e) is a Japanese message for the user."""


def decode_text(data: bytes) -> tuple[str, str]:
    """(text, encoding name). UTF-8 and CP932 are tried strictly first; charset-normalizer last.

    Stray BOMs and zero-width spaces anywhere in the text are removed.
    """
    if data.startswith(_UTF32_BOMS[0]) or data.startswith(_UTF32_BOMS[1]):
        raise DecodeProblem(f"UTF-32 のファイルには対応していません。{_ADVICE}")
    if data.startswith(_UTF16_BOMS):
        raise DecodeProblem(f"UTF-16 のファイル（Excel の「Unicode テキスト」など）には対応していません。{_ADVICE}")
    if b"\x00" in data:
        raise DecodeProblem(f"テキストファイルではありません（NUL 文字を含みます。UTF-16 かバイナリです）。{_ADVICE}")
    if data.startswith(codecs.BOM_UTF8):
        try:
            return _clean(data.decode("utf-8-sig")), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise DecodeProblem(
                f"UTF-8（BOM 付き）として読めない文字があります（{exc.start + 1} バイト目）。{_ADVICE}"
            ) from None
    for encoding in ("utf-8", "cp932"):
        try:
            return _clean(data.decode(encoding)), encoding
        except UnicodeDecodeError:
            continue
    guessed = _guess(data)
    if guessed is not None:
        return guessed
    raise DecodeProblem(f"文字コードを判別できません（UTF-8 でも Shift_JIS でもありません）。{_ADVICE}")


def _guess(data: bytes) -> tuple[str, str] | None:
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - a declared dependency
        return None
    best = from_bytes(data[:1_000_000]).best()
    if best is None or best.encoding not in _ACCEPTED_GUESSES:
        return None
    try:
        return _clean(data.decode(best.encoding)), best.encoding
    except (UnicodeDecodeError, LookupError):
        return None


def _clean(text: str) -> str:
    return text.translate(_INVISIBLE)


def read_csv_records(text: str, limit: int | None = None) -> list[list[str]]:
    """CSV records (quoted newlines kept inside their field), the first `limit` only if given;
    tab-separated when the first line has tabs and no commas. Raises csv.Error for a malformed file and
    DecodeProblem for a record wider than MAX_COLUMNS or a field longer than MAX_FIELD_CHARS.

    Memory stays bounded: the delimiters of each record are counted line by line before the csv module
    builds it (quoted delimiters count too: an upper bound), so a record of a million columns is refused
    after reading one line of it, not after building a million strings.
    """
    first_line = text[:10_000].split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    seen = [0, 0]  # delimiters of the record being read, physical lines so far

    def lines() -> Iterator[str]:
        for found in _LINE.finditer(text):  # not io.StringIO: it holds 4 bytes per character
            line = found.group()
            seen[0] += line.count(delimiter)
            seen[1] += 1
            if seen[0] >= MAX_COLUMNS:
                raise DecodeProblem(
                    f"{seen[1]:,} 行目の列が多すぎます（{MAX_COLUMNS:,} 列まで）。"
                    "右側の空の列を削除して保存し直してください。"
                )
            yield line

    records: list[list[str]] = []
    try:
        for record in csv.reader(lines(), delimiter=delimiter):
            seen[0] = 0
            records.append(record)
            if limit is not None and len(records) >= limit:
                break
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise DecodeProblem(
                f"{seen[1]:,} 行目に長すぎる値があります（1つのセルは {MAX_FIELD_CHARS:,} 文字まで）。"
                '引用符（"）の閉じ忘れがないか確認してください。'
            ) from None
        raise
    return records
