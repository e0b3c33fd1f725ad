"""Rewrite one rendered page for the static export: links between exported pages become relative file links,
assets point at the copied `static/` folder, links to pages that are not exported go to the live site
(`base_url`) or are taken out, and forms that need a server (search, filters, the month switcher) submit to
the live site or give way to a note. Pure text work on the HTML Django rendered (no Django here)."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from .paths import file_for, normalize, relative_href, split_fragment

__all__ = ["FORM_NOTE", "LINK_NOTE", "PageLinks", "rewrite_page"]

FORM_NOTE = "この版は静的に書き出したページのため、ここでの検索・絞り込み・月の切り替えはできません。"
LINK_NOTE = "静的に書き出したこの版にないページへのリンクは外しています。"

_FORM = re.compile(r"<form\b(?P<attrs>[^>]*)>(?P<body>.*?)</form>", re.S)
_ANCHOR = re.compile(r"<a\b(?P<attrs>[^>]*)>(?P<body>.*?)</a>", re.S)
_HREF = re.compile(r'\bhref="(?P<v>[^"]*)"')
_ACTION = re.compile(r'\baction="(?P<v>[^"]*)"')
_URL_ATTR = re.compile(r'\b(?P<a>href|src|action)="(?P<v>/[^"]*)"')


@dataclass
class PageLinks:
    """What rewriting one page found: the assets it uses and the links it had to send elsewhere."""

    assets: set[str] = field(default_factory=set)  # paths under the static URL, e.g. "shinchoku/site.css"
    exported: set[str] = field(default_factory=set)  # page keys it links to inside the export
    external: set[str] = field(default_factory=set)  # page keys it links to that are not exported
    removed: int = 0  # links taken out (no base_url)
    forms: int = 0  # forms sent to the live site or replaced by a note


def rewrite_page(
    text: str,
    *,
    page_key: str,
    exported: Callable[[str], bool],
    static_url: str = "/static/",
    base_url: str | None = None,
    drop: dict[str, str] | None = None,
) -> tuple[str, PageLinks]:
    """The page's HTML for the export, and what it links to. `exported(key)` says whether a normalized page
    key is part of the export; `drop` names query parameters a link may carry that the export already fixes
    (its own month: `{"as_of": "2025-05"}`)."""
    found = PageLinks()
    here_file = file_for(page_key)
    here_path = urlsplit(page_key).path
    origin = base_url.rstrip("/") if base_url else None

    def resolve(raw: str) -> tuple[str, str] | None:
        """('local', href) / ('external', absolute path) for a site link; None for what is left alone."""
        value = html.unescape(raw)
        if value.startswith("?"):
            value = here_path + value
        if not value.startswith("/") or value.startswith("//"):
            return None
        base, fragment = split_fragment(value)
        if base.startswith(static_url):
            asset = urlsplit(base).path[len(static_url) :]
            found.assets.add(asset)
            return "local", relative_href(f"static/{asset}", here_file) + fragment
        key = normalize(base, drop=drop)
        if key == normalize(page_key) and fragment:
            return "local", fragment
        if exported(key):
            found.exported.add(key)
            return "local", relative_href(file_for(key), here_file) + fragment
        found.external.add(key)
        return "external", value

    def absolute(path: str) -> str:
        return f"{origin}{path}"

    def form(m: re.Match[str]) -> str:
        attrs = m.group("attrs")
        if 'method="post"' in attrs.lower():
            return m.group(0)
        found.forms += 1
        if origin is None:
            return f'<p class="static-note">{FORM_NOTE}</p>'
        action = _ACTION.search(attrs)
        target = html.unescape(action.group("v")) if action and action.group("v") else here_path
        attr = f'action="{html.escape(absolute(target))}"'
        attrs = _ACTION.sub(attr, attrs) if action else f"{attrs} {attr}"
        return f"<form{attrs}>{m.group('body')}</form>"

    def anchor(m: re.Match[str]) -> str:
        attrs, body = m.group("attrs"), m.group("body")
        href = _HREF.search(attrs)
        resolved = resolve(href.group("v")) if href else None
        if resolved is None:
            return m.group(0)
        kind, value = resolved
        if kind == "external":
            if origin is None:
                found.removed += 1
                return f"<span>{body}</span>"
            value = absolute(value)
        new_attrs = attrs[: href.start()] + f'href="{html.escape(value)}"' + attrs[href.end() :]  # type: ignore[union-attr]
        return f"<a{new_attrs}>{body}</a>"

    def other(m: re.Match[str]) -> str:
        resolved = resolve(m.group("v"))
        if resolved is None:
            return m.group(0)
        kind, value = resolved
        if kind == "external":
            value = absolute(value) if origin else "#"
        return f'{m.group("a")}="{html.escape(value)}"'

    text = _FORM.sub(form, text)
    text = _ANCHOR.sub(anchor, text)
    text = _URL_ATTR.sub(other, text)  # <link>, <script>, <img>: what anchors and forms left
    if found.removed:
        text = text.replace("</footer>", f'<div class="wrap"><p class="static-note">{LINK_NOTE}</p></div></footer>', 1)
    return text, found
