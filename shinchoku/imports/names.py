"""Matching a 団体 written as prefecture + name (government files carry no codes) to its code."""

from __future__ import annotations

from .context import ParseContext

__all__ = ["OrgFailure", "resolve_org"]

# (message, "prefecture" or "name" — the column at fault —, the value, a suggestion)
OrgFailure = tuple[str, str, str, str]


def resolve_org(pref: str, name: str, ctx: ParseContext) -> str | OrgFailure:
    """The 団体 code, or why not; names fold variant characters, widths and trailing spaces."""
    if not pref and not name:
        return "都道府県名と市区町村名が空です。", "prefecture", "", ""
    match = ctx.name_index.lookup(name, prefecture=pref or None)
    if match.status == "found" and match.code is not None:
        return match.code
    suggestion = "、".join(match.suggestions)
    if match.status == "ambiguous":
        listed = "、".join(f"{o.display_name}（{o.code}）" for o in match.candidates)
        return f"「{pref} {name}」に当てはまる団体が複数あります: {listed}", "name", name, ""
    if pref and ctx.name_index.prefecture(pref) is None:
        return f"都道府県名「{pref}」が見つかりません。", "prefecture", pref, suggestion
    where = f"{pref}に" if pref else ""
    return f"{where}「{name}」という団体が見つかりません。", "name", name, suggestion
