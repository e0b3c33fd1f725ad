"""Template filters of the cost pages, and the cost section of a 団体's page (`{% cost_section org month %}`)."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from typing import Any

from django import template
from django.utils.safestring import mark_safe

from shinchoku.domain.calendar import fiscal_year_label

register = template.Library()


@register.filter
def ratio(value: float | None) -> str:
    """2.3 → 「2.30倍」; None → 「—」."""
    if value is None or value == "":
        return "—"
    return f"{float(value):.2f}倍"


@register.filter
def fiscal_label(value: int | None) -> str:
    """2025 → 「2025年度（令和7年度）」."""
    if value in (None, ""):
        return "—"
    return f"{value}年度（{fiscal_year_label(int(value))}）"


@register.filter
def get(mapping: Any, key: str) -> Any:
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def field_of(form: Any, name: str) -> Any:
    """A form's bound field by a name held in a variable."""
    return form[name]


@register.filter
def share_of(part: int | None, whole: int | None) -> float | None:
    return part / whole if part is not None and whole else None


@register.inclusion_tag("costs/_organization_section.html", takes_context=True)
def cost_section(context: template.Context, org: Any, month: Any) -> dict:
    """The 団体 page's section: its published operating costs, its systems on the ガバメントクラウド, and its
    vendor changes, all as of the month shown."""
    from shinchoku.costs.cloud_selectors import organization_cloud
    from shinchoku.costs.domain import CATEGORIES, REFERENCE_LINES
    from shinchoku.costs.selectors import organization_costs

    cloud = organization_cloud(org.code, month.as_of)
    return {
        "org": org,
        "month": month,
        "costs": organization_costs(org.code, month.as_of),
        "cloud": cloud,
        "cloud_rows": cloud_rows(cloud.systems),
        "categories": CATEGORIES,
        "target": REFERENCE_LINES[0],
        "SAMPLE_LABEL": context.get("SAMPLE_LABEL", "架空のサンプルデータ"),
    }


def cloud_rows(systems: Iterable[Any]) -> str:
    """The cloud table's rows (a system each, some twenty), made in Python: the template engine took about a
    millisecond for them on every 団体 page. Names are escaped as the template escaped them."""
    return mark_safe("".join(_cloud_row(s) for s in systems))  # every value below is escaped


def _cloud_row(s: Any) -> str:
    if s.uses_gov_cloud is None:
        use = "報告なし"
    elif s.uses_gov_cloud:
        use = "利用する" + (f"（{escape(s.provider)}）" if s.provider else "")
    else:
        use = "利用しない"
    vendor = escape(s.vendor) if s.vendor else "—"
    return f'<tr><th scope="row">{escape(s.name)}</th><td>{use}</td><td>{vendor}</td></tr>'
