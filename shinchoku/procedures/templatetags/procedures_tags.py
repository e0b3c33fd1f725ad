"""The procedure lists of a 市区町村's section, made in Python: 26 items of five values each, which the
template engine took about a millisecond to render on every 団体 page."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

ITEM = '<li><strong>{}</strong>：{}<br><span class="sub">{}・手続{}「{}」</span></li>\n    '


@register.filter
def procedure_items(items: list[dict]) -> SafeString:
    """The <li> of each procedure (selectors.organization_procedures' items): できる / できない / 情報なし."""
    return mark_safe(  # joined from format_html's escaped parts
        "".join(format_html(ITEM, p["label"], p["plain"], p["field"], p["number"], p["name"]) for p in items)
    )
