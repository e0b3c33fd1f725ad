"""How pages write numbers: rates as percentages, counts with thousands separators, 「—」 for no value."""

from __future__ import annotations


def pct(value: float | None, digits: int = 1) -> str:
    """0.8163 → 「81.6%」; None → 「—」."""
    if value is None or value == "":
        return "—"
    return f"{float(value) * 100:.{int(digits)}f}%"


def num(value: float | None) -> str:
    """12345 → 「12,345」; None → 「—」."""
    if value is None or value == "":
        return "—"
    return f"{int(value):,}"
