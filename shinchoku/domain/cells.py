"""Cell values safe for spreadsheets."""

from __future__ import annotations

from datetime import date, datetime

# = + - @ start a formula in Excel, LibreOffice and Google Sheets; tab and CR can hide one (OWASP CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: str) -> str:
    """Neutralise a leading formula character so Excel shows the text instead of running it (OWASP CSV injection)."""
    if value and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def cell(value: object) -> object:
    """A value as written to CSV: text neutralised, dates ISO, None empty, booleans はい/いいえ; numbers unchanged."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "はい" if value else "いいえ"
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return safe_text(value)
    return value
