"""A prefecture's digest: the warnings and forecasts of its 団体 on one page, and the same as an XLSX file."""

from __future__ import annotations

import io
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from shinchoku import SAMPLE_LABEL
from shinchoku.progress.models import Month, OrganizationRollup
from shinchoku.progress.provenance import month_source
from shinchoku.reference.models import Organization

from . import selectors
from .store_forecasts import ORGANIZATION, PREFECTURE
from .warning_rules import KIND_LABELS, KINDS


@dataclass(frozen=True)
class DigestRow:
    code: str
    name: str
    kind: str
    completion_rate: float | None
    forecast: selectors.ForecastItem | None
    counts: tuple[int, ...]  # per kind, in KINDS order

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True)
class Digest:
    pref: str
    name: str
    as_of: date
    published: bool
    sample_data: bool
    source: str | None
    forecast: selectors.ForecastItem | None
    kind_totals: tuple[int, ...]
    rows: list[DigestRow]
    warnings: list[selectors.WarningItem]

    @property
    def total(self) -> int:
        return sum(self.kind_totals)

    @property
    def organizations_with_warnings(self) -> int:
        return sum(1 for r in self.rows if r.total)


def build(pref: str, as_of: date) -> Digest:
    """The digest of a prefecture (its municipalities and its own systems) for a held month."""
    month = Month.objects.get(as_of=as_of)
    orgs = list(Organization.objects.filter(prefecture_code=pref, is_practice=False).order_by("code"))
    prefecture = next(o for o in orgs if o.is_prefecture)
    rates = dict(
        OrganizationRollup.objects.filter(as_of=as_of, organization__prefecture_code=pref).values_list(
            "organization_id", "completion_rate"
        )
    )
    forecasts = {f.key: f for f in selectors.forecasts(as_of, ORGANIZATION, prefecture=pref)}
    items = selectors.warnings(as_of, prefecture=pref)
    per_org: dict[str, Counter[str]] = defaultdict(Counter)
    for w in items:
        per_org[w.code][w.kind] += 1
    rows = [
        DigestRow(
            code=o.code,
            name=o.short_name if not o.is_prefecture else f"{o.prefecture_name}（自身のシステム）",
            kind=o.kind,
            completion_rate=rates.get(o.code),
            forecast=forecasts.get(o.code),
            counts=tuple(per_org[o.code].get(k, 0) for k in KINDS),
        )
        for o in orgs
    ]
    return Digest(
        pref=pref,
        name=prefecture.prefecture_name,
        as_of=as_of,
        published=month.published,
        sample_data=month.sample_data,
        source=month_source(as_of),
        forecast=selectors.forecast_of(as_of, PREFECTURE, pref),
        kind_totals=tuple(sum(r.counts[i] for r in rows) for i in range(len(KINDS))),
        rows=rows,
        warnings=items,
    )


def _ym(d: date | None) -> str | None:
    return f"{d.year}年{d.month}月" if d else None


def xlsx(digest: Digest) -> bytes:
    """The digest as a workbook: 概要, 団体別, 警告 (Japanese headings, dates as dates)."""
    wb = Workbook()
    bold = Font(bold=True)
    ws = wb.active
    ws.title = "概要"
    label = SAMPLE_LABEL if digest.sample_data else "公表データと団体の報告"
    head: list[tuple] = [
        (f"{digest.name} 警告と見通しのダイジェスト",),
        ("基準日", digest.as_of),
        ("データ区分", label),
        ("公開", "公開済み" if digest.published else "未公開（職員用）"),
    ]
    if digest.source:
        head.append(("出典", digest.source))
    if digest.sample_data:
        head.append(("注記", "架空のサンプルデータです。実在の団体の進捗ではありません。"))
    head += [
        ("見通し（管内のすべてのシステム）", digest.forecast.text if digest.forecast else "—"),
        ("警告のある団体", digest.organizations_with_warnings),
        (),
        ("警告の種類", "件数"),
        *[(KIND_LABELS[k], n) for k, n in zip(KINDS, digest.kind_totals, strict=True)],
        ("合計", digest.total),
    ]
    for row in head:
        ws.append(list(row))
    ws["A1"].font = Font(bold=True, size=14)
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 80
    ws["B2"].number_format = "yyyy-mm-dd"

    orgs = wb.create_sheet("団体別")
    orgs.append(
        ["全国地方公共団体コード", "団体名", "団体区分", "完了率", "見通しの月", "早ければ", "遅ければ", "見通し"]
        + [KIND_LABELS[k] for k in KINDS]
        + ["警告の合計"]
    )
    for r in digest.rows:
        f = r.forecast
        dated = f is not None and f.has_date
        orgs.append(
            [
                r.code,
                r.name,
                r.kind,
                r.completion_rate,
                _ym(f.month) if f and dated else None,
                _ym(f.earliest) if f and dated else None,
                (_ym(f.latest) or "見通せません") if f and dated else None,
                f.text if f else "—",
                *r.counts,
                r.total,
            ]
        )
    for cell in orgs["D"][1:]:
        cell.number_format = "0.0%"

    warnings = wb.create_sheet("警告")
    warnings.append(["全国地方公共団体コード", "団体名", "対象システム", "業務名", "警告の種類", "いつから", "内容"])
    for w in digest.warnings:
        warnings.append([w.code, w.name, w.system, w.business, w.kind_label, w.since, w.detail])
    for cell in warnings["F"][1:]:
        cell.number_format = "yyyy-mm"
    for sheet in (orgs, warnings):
        for cell in sheet[1]:
            cell.font = bold
            cell.alignment = Alignment(wrap_text=True)
        sheet.freeze_panes = "C2"
        sheet.column_dimensions["B"].width = 24
    warnings.column_dimensions["G"].width = 90
    orgs.column_dimensions["H"].width = 70
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
