"""Warning rules on constructed histories, and properties checked against the raw history."""

from __future__ import annotations

import ast
import itertools
from datetime import date
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from shinchoku.outlook.warning_rules import (
    BASIS_RATE,
    BASIS_STEPS,
    Designation,
    Reading,
    add_months,
    done_of,
    evaluate,
    is_finished,
    months_between,
    statuses_equal,
)

START = date(2025, 10, 31)
MONTHS = [add_months(START, i) for i in range(12)]  # 2025-10 … 2026-09


def codes(done: int, last: str = "N", back: dict[int, str] | None = None) -> str:
    """`done` leading steps 完了済み, the rest 未着手 (step 40 = `last`), with some steps overwritten."""
    cells = ["C"] * done + ["N"] * (40 - done)
    cells[39] = last if done < 40 else "C"
    for step, c in (back or {}).items():
        cells[step - 1] = c
    return "".join(cells)


def kinds_at(findings, month: date) -> set[str]:
    return {f.kind for f in findings if f.as_of == month}


def test_pure_modules_import_no_django():
    root = Path(__file__).resolve().parents[2] / "shinchoku" / "outlook"
    for name in ("warning_rules.py", "forecasting.py"):
        tree = ast.parse((root / name).read_text(encoding="utf-8"))
        imported = {
            n.module if isinstance(n, ast.ImportFrom) else a.name
            for n in ast.walk(tree)
            if isinstance(n, ast.Import | ast.ImportFrom)
            for a in (n.names if isinstance(n, ast.Import) else [n])  # type: ignore[attr-defined]
        }
        assert not any(str(m).startswith("django") for m in imported), name


def test_overdue_after_the_deadline_only_and_not_when_special():
    readings = [Reading(START, codes(30)), Reading(add_months(START, 1), codes(31))]
    found = evaluate(MONTHS, readings)
    assert "overdue" not in kinds_at(found, date(2026, 3, 31))
    april = [f for f in found if f.as_of == date(2026, 4, 30) and f.kind == "overdue"]
    assert april and april[0].since == date(2026, 4, 30) and april[0].basis == BASIS_STEPS
    assert "作業ステップ40：未着手" in april[0].detail
    may = next(f for f in found if f.as_of == date(2026, 5, 31) and f.kind == "overdue")
    assert may.since == date(2026, 4, 30)  # the run began in April
    special = [Designation(START, True, date(2027, 3, 31))]
    assert not {f.kind for f in evaluate(MONTHS, readings, special)} & {"overdue", "special_overdue", "unexplained"}


def test_in_operation_is_not_overdue():
    readings = [Reading(START, codes(39, last="C"))]  # step 40 完了済み, one step left
    assert "overdue" not in {f.kind for f in evaluate(MONTHS, readings)}


def test_special_overdue_after_its_own_planned_completion():
    readings = [Reading(START, codes(20))]
    plan = [Designation(START, False), Designation(date(2025, 12, 31), True, date(2026, 6, 30))]
    found = evaluate(MONTHS, readings, plan)
    assert "special_overdue" not in kinds_at(found, date(2026, 6, 30))
    july = {f.kind: f for f in found if f.as_of == date(2026, 7, 31)}
    assert "special_overdue" in july and "overdue" not in july
    assert "2026年6月30日" in july["special_overdue"].detail
    # months before the designation (2025-10, 11) are not special and before the deadline: nothing late
    assert not {f.kind for f in found if f.as_of < date(2026, 4, 30)} & {"overdue", "special_overdue"}


def test_unexplained_until_an_explanation_is_given():
    readings = [Reading(START, codes(30))]
    found = evaluate(MONTHS, readings, explained_from=date(2026, 6, 30))
    assert "unexplained" in kinds_at(found, date(2026, 5, 31))
    assert "unexplained" not in kinds_at(found, date(2026, 6, 30))
    assert "overdue" in kinds_at(found, date(2026, 6, 30))


def test_stalled_after_n_months_without_a_change_since_the_last_change():
    readings = [Reading(START, codes(10)), Reading(add_months(START, 2), codes(12))]  # change in 2025-12
    found = evaluate(MONTHS, readings, stall_months=3)
    assert "stalled" not in kinds_at(found, date(2026, 2, 28))
    march = next(f for f in found if f.as_of == date(2026, 3, 31) and f.kind == "stalled")
    assert march.since == date(2025, 12, 31) and "3か月" in march.detail


def test_a_finished_system_never_stalls():
    assert not evaluate(MONTHS, [Reading(START, codes(40))])


def test_regression_while_the_step_is_not_completed_again():
    readings = [
        Reading(START, codes(30)),
        Reading(add_months(START, 2), codes(31, back={25: "P"})),
        Reading(add_months(START, 4), codes(32, back={25: "P"})),
        Reading(add_months(START, 5), codes(33)),
    ]
    found = evaluate(MONTHS, readings)
    reg = [f for f in found if f.kind == "regression"]
    assert [f.as_of for f in reg] == [add_months(START, k) for k in (2, 3, 4)]
    assert all(f.since == add_months(START, 2) and f.evidence["steps"] == [25] for f in reg)
    assert "作業ステップ25（作業中" in reg[0].detail


def test_a_step_set_to_not_applicable_is_not_a_regression():
    readings = [Reading(START, codes(30)), Reading(add_months(START, 1), codes(30, back={16: "X"}))]
    assert "regression" not in {f.kind for f in evaluate(MONTHS, readings)}


def test_rate_only_history_gives_only_what_the_rate_allows():
    readings = [
        Reading(START, "", 30),
        Reading(add_months(START, 1), "", 28),  # the published rate fell
        Reading(add_months(START, 5), "", 32),  # after the deadline and below 100%
    ]
    found = evaluate(MONTHS, readings)
    assert {f.basis for f in found} == {BASIS_RATE}
    reg = [f for f in found if f.kind == "regression"]
    assert reg and all("steps" not in f.evidence and f.evidence["peak"] == 30 for f in reg)
    assert "公表された完了率" in reg[0].detail
    stalled = next(f for f in found if f.kind == "stalled" and f.as_of == add_months(START, 4))
    assert "公表された完了率が変わっていません" in stalled.detail
    overdue = next(f for f in found if f.kind == "overdue")
    assert "公表された完了率が100%に達していません" in overdue.detail
    assert not evaluate(MONTHS, [Reading(START, "", 40)])  # 100% is finished


# --- properties: each warning checked against the raw history ---------------------------------------------

CELLS = st.sampled_from("CCPNX")


@st.composite
def histories(draw):
    """Rows in some of 12 months: statuses of a few varying steps (others fixed), or a published rate."""
    rows = []
    for i in draw(st.lists(st.integers(0, 11), unique=True, min_size=1, max_size=8).map(sorted)):
        if draw(st.integers(0, 5)) == 0:
            rows.append(Reading(MONTHS[i], "", draw(st.integers(30, 40))))
        else:
            head = "".join(draw(st.lists(CELLS, min_size=3, max_size=3)))
            last = draw(st.sampled_from("CN"))
            rows.append(Reading(MONTHS[i], head + "C" * 36 + last))
    return rows


def effective(rows: list[Reading], month: date) -> Reading | None:
    found = [r for r in rows if r.as_of <= month]
    return found[-1] if found else None


@given(histories(), st.integers(1, 4))
def test_stalled_iff_statuses_did_not_change_in_the_window(rows, n):
    found = evaluate(MONTHS, rows, stall_months=n)
    for m in MONTHS:
        current = effective(rows, m)
        start = add_months(m, -n)
        before = effective(rows, start)
        window = [r for r in rows if start < r.as_of <= m]
        chain = [before, *window] if before else []
        unchanged = bool(chain) and all(statuses_equal(a, b) for a, b in itertools.pairwise(chain))
        expected = current is not None and unchanged and not is_finished(current)
        assert ("stalled" in kinds_at(found, m)) == expected, (m, n, rows)
        if expected:
            f = next(f for f in found if f.as_of == m and f.kind == "stalled")
            assert months_between(f.since, m) >= n and f.since <= start


@given(histories())
def test_regression_iff_a_completed_step_is_back_or_the_rate_fell(rows):
    found = evaluate(MONTHS, rows)
    for m in MONTHS:
        current = effective(rows, m)
        earlier = [r for r in rows if r.as_of < (current.as_of if current else m)]
        if current is None:
            expected = False
        elif current.codes:
            expected = any(
                current.codes[i] in "PN" and any(r.codes and r.codes[i] == "C" for r in earlier) for i in range(40)
            )
        else:
            expected = any(done_of(r) > done_of(current) for r in earlier)
        assert ("regression" in kinds_at(found, m)) == expected, (m, rows)


@given(histories(), st.booleans())
def test_overdue_iff_after_the_deadline_unfinished_and_not_special(rows, special):
    plan = [Designation(MONTHS[0], special, None)]
    found = evaluate(MONTHS, rows, plan)
    for m in MONTHS:
        current = effective(rows, m)
        expected = current is not None and m > date(2026, 3, 31) and not special and not is_finished(current)
        assert ("overdue" in kinds_at(found, m)) == expected
        assert ("unexplained" in kinds_at(found, m)) == expected  # nothing is explained here
        for f in found:
            if f.as_of == m and f.basis == BASIS_RATE and f.kind == "regression":
                assert "steps" not in f.evidence  # a rate never claims a step
