"""Permanent URLs: of what a page shows (「この数値を引用する」, og:url) and of its Open Graph image."""

from __future__ import annotations

from urllib.parse import urlencode

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def permalink(context: template.Context) -> str:
    """This page's absolute URL with ?as_of=YYYY-MM, so the figures it cites never change under the link."""
    request = context.get("request")
    month = context.get("month")
    if request is None or month is None:
        return ""
    params = [(k, v) for k, v in request.GET.items() if k != "as_of"] + [("as_of", month.param)]
    return request.build_absolute_uri(request.path + "?" + urlencode(params, safe=","))


@register.simple_tag(takes_context=True)
def og_image_url(context: template.Context, path: str | None = None) -> str:
    """The absolute URL of the page's Open Graph image (the national one by default), for the page's month."""
    request = context.get("request")
    month = context.get("month")
    url = path or "/og/national.png"
    if month is not None:
        url += f"?as_of={month.param}"
    return request.build_absolute_uri(url) if request is not None else url
