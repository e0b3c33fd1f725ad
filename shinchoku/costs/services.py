"""Writes to cost data. The staff form goes through the guarded `cost_year_save` / `cost_year_withdraw` (the rule
table through the Actor, one transaction, one audit entry); imports go through the import pipeline (importer.py),
which writes with `write_report`.

Publishing: a report belongs to the month it was written for (the 報告月, a progress month) and is public once
that month is published, like a progress edit (docs/staff.md). The month is created on the first write, so it
appears on the operator's publish page.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from shinchoku.accounts.actor import Actor
from shinchoku.accounts.rules import Action
from shinchoku.domain.calendar import to_month_end
from shinchoku.progress import rollups as progress_rollups
from shinchoku.progress.attributes import as_date
from shinchoku.progress.models import AreaRollup, Month
from shinchoku.publication.months import ensure_month
from shinchoku.reference.models import Organization

from . import rollups
from .domain import BASELINE_YEAR, CATEGORY_KEYS, CATEGORY_LABELS
from .models import CostLine, CostReport

__all__ = [
    "CostEditError",
    "Line",
    "YearReport",
    "cost_year_save",
    "cost_year_withdraw",
    "default_report_month",
    "ensure_report_month",
    "reports_at",
    "write_report",
]


class CostEditError(ValueError):
    """A cost edit that cannot be applied (message in Japanese); nothing is written."""


@dataclass(frozen=True, order=True)
class Line:
    category: str
    system: str
    amount: int
    note: str = ""


@dataclass(frozen=True)
class YearReport:
    """A 団体's figures for one 年度 in force at a month (its latest report on or before it)."""

    org: str
    fiscal_year: int
    as_of: date  # the 報告月 of the report in force
    total: int | None  # None: withdrawn
    comment: str
    lines: tuple[Line, ...]
    report_id: int

    def by_category(self) -> dict[str, int]:
        out = dict.fromkeys(CATEGORY_KEYS, 0)
        for line in self.lines:
            out[line.category] += line.amount
        return out

    def reported_categories(self) -> set[str]:
        return {line.category for line in self.lines}


def default_report_month() -> date:
    """The month a report is written for when none is given: the latest progress month (the one being reported),
    else the current month."""
    latest = Month.objects.order_by("-as_of").values_list("as_of", flat=True).first()
    return latest or to_month_end(date.today())


def reports_at(orgs: Collection[str] | None, as_of: date) -> dict[tuple[str, int], YearReport]:
    """The report in force at `as_of` of every (団体, 年度) of the given 団体 (all when None), withdrawn ones too.
    Plain rows: a 団体's page reads its reports on every month it shows."""
    few = orgs is not None and len(orgs) <= 500  # a 団体 or a few: filter in SQL; a national file: in Python
    wanted = None if orgs is None else set(orgs)
    chosen = sorted(wanted or ()) if few else []
    where = f" AND organization_id IN ({', '.join(['%s'] * len(chosen))})" if few else ""
    latest: dict[tuple[str, int], tuple[date, int, int | None, str]] = {}
    with connection.cursor() as cur:
        cur.execute(REPORTS_SQL.format(where=where), [as_of, *chosen])
        for pk, org, fy, month, total, comment in cur.fetchall():
            if wanted is None or org in wanted:
                latest[(org, fy)] = (as_date(month), pk, total, comment)
        lines: dict[int, list[Line]] = {pk: [] for _m, pk, _t, _c in latest.values()}
        if lines or not few:
            ids = sorted(lines) if few else []
            where = f" WHERE report_id IN ({', '.join(['%s'] * len(ids))})" if few else ""
            cur.execute(LINES_SQL.format(where=where), ids)
            for report_id, category, system, amount, note in cur.fetchall():
                if report_id in lines:
                    lines[report_id].append(Line(category, system, int(amount), note))
    return {
        key: YearReport(key[0], key[1], month, total, comment, tuple(sorted(lines[pk])), pk)
        for key, (month, pk, total, comment) in latest.items()
    }


REPORTS_SQL = (
    f"SELECT id, organization_id, fiscal_year, as_of, total, comment FROM {CostReport._meta.db_table}"
    " WHERE as_of <= %s{where} ORDER BY as_of, id"
)
LINES_SQL = f"SELECT report_id, category, system, amount, note FROM {CostLine._meta.db_table}{{where}}"


def write_report(
    org: str,
    fiscal_year: int,
    as_of: date,
    lines: tuple[Line, ...] | None,
    comment: str,
    *,
    actor: str,
    source: str,
) -> CostReport:
    """Store a 団体's figures for a 年度 from month `as_of` on (None withdraws the 年度); replaces a report of the
    same month. The caller refreshes the rollups."""
    total = None if lines is None else sum(line.amount for line in lines)
    report, _created = CostReport.objects.update_or_create(
        organization_id=org,
        fiscal_year=fiscal_year,
        as_of=as_of,
        defaults={"total": total, "comment": comment, "updated_by": actor, "source": source},
    )
    CostLine.objects.filter(report=report).delete()
    CostLine.objects.bulk_create(
        [
            CostLine(report=report, category=x.category, system=x.system, amount=x.amount, note=x.note)
            for x in lines or ()
        ]
    )
    return report


def ensure_report_month(as_of: date, *, auto_publish: bool, publish: bool, actor: str) -> Month:
    """The 報告月 as a progress month (listed on the publish page); published at once when asked. A published
    month that has no progress figures yet (it was created here) gets them, carried forward from earlier months."""
    month = ensure_month(Month, as_of, auto_publish=auto_publish, actor=actor)
    if publish and not month.published:
        Month.objects.filter(pk=month.pk).update(published=True, published_at=timezone.now(), published_by=actor)
        month.published = True
    if month.published and not AreaRollup.objects.filter(as_of=as_of, scope="nation").exists():
        progress_rollups.refresh_months(progress_rollups.months_affected_from(as_of))
    return month


def _month(org: Organization, as_of: date, actor: str) -> None:
    auto = bool(settings.SHINCHOKU_AUTO_PUBLISH) and not org.is_practice
    ensure_report_month(as_of, auto_publish=auto, publish=False, actor=actor)


def _describe(report: YearReport | None) -> dict | None:
    if report is None or report.total is None:
        return None
    return {
        "total": report.total,
        **{CATEGORY_LABELS[k]: v for k, v in report.by_category().items() if k in report.reported_categories()},
        **({"comment": report.comment} if report.comment else {}),
    }


def _new_lines(current: YearReport | None, amounts: Mapping[str, int | None]) -> tuple[Line, ...]:
    """The form's category amounts as lines: a category whose amount is unchanged keeps its lines (and so its
    per-system breakdown from a file); a changed one becomes one line for the 団体 as a whole."""
    kept = current.lines if current is not None and current.total is not None else ()
    before = current.by_category() if current is not None else {}
    reported = current.reported_categories() if current is not None else set()
    out: list[Line] = []
    for key in CATEGORY_KEYS:
        amount = amounts.get(key)
        if amount is None:
            continue
        if key in reported and before.get(key) == amount:
            out.extend(x for x in kept if x.category == key)
        else:
            out.append(Line(key, "", amount, ""))
    return tuple(sorted(out))


def cost_year_save(
    *,
    actor: Actor,
    org: Organization,
    as_of: date,
    fiscal_year: int,
    amounts: Mapping[str, int | None],
    comment: str,
) -> bool:
    """A 団体's operating costs of one 年度 (千円 by category; None = not reported) and its comment, reported for
    month `as_of`. Guarded by EDIT_COSTS; one audit entry; False (nothing written) when nothing changed."""
    actor.require(Action.EDIT_COSTS, org)
    if fiscal_year < BASELINE_YEAR:
        raise CostEditError("運用経費は平成30年度（2018年度）以降を入力してください。")
    if all(v is None for v in amounts.values()):
        raise CostEditError(
            "少なくとも1つの区分の金額を入力してください（報告を取り消すときは「取り消す」を使います）。"
        )
    as_of = to_month_end(as_of)
    with transaction.atomic():
        current = reports_at([org.code], as_of).get((org.code, fiscal_year))
        lines = _new_lines(current, amounts)
        if current is not None and current.total is not None and current.lines == lines and current.comment == comment:
            return False
        _write(actor, org, as_of, fiscal_year, lines, comment, "set_costs", current)
    return True


def cost_year_withdraw(*, actor: Actor, org: Organization, as_of: date, fiscal_year: int) -> bool:
    """Withdraw a 年度's figures from month `as_of` on (earlier months keep them); False when there are none."""
    actor.require(Action.EDIT_COSTS, org)
    as_of = to_month_end(as_of)
    with transaction.atomic():
        current = reports_at([org.code], as_of).get((org.code, fiscal_year))
        if current is None or current.total is None:
            return False
        _write(actor, org, as_of, fiscal_year, None, "", "withdraw_costs", current)
    return True


def _write(
    actor: Actor,
    org: Organization,
    as_of: date,
    fiscal_year: int,
    lines: tuple[Line, ...] | None,
    comment: str,
    action: str,
    current: YearReport | None,
) -> None:
    """Write (or, lines None, withdraw) a 年度's report, list its month, refresh the rollups, record the change."""
    write_report(org.code, fiscal_year, as_of, lines, comment, **actor.writer)
    _month(org, as_of, actor.name)
    if not org.is_practice:
        rollups.refresh_all()
    actor.record(
        action,
        organization_code=org.code,
        target=f"運用経費 / {fiscal_year}年度 / {as_of:%Y-%m}",
        before=_describe(current),
        after=None if lines is None else _describe(reports_at([org.code], as_of).get((org.code, fiscal_year))),
    )


def forget_practice(org: Organization) -> None:
    """The practice 団体's cost reports (their lines go with them), when it is reset."""
    CostReport.objects.filter(organization=org).delete()
