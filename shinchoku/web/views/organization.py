"""The 団体 disclosure page: what 石巻市 publishes by hand, generated from the same selector as the API."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from shinchoku.domain.codes import CodeError, code_candidates
from shinchoku.domain.plain import plain_sentence
from shinchoku.domain.progress import NATIONAL_STEPS, Counts, rate_table
from shinchoku.domain.status import Status
from shinchoku.outlook.sections import organization_section
from shinchoku.pagekit.common import MonthContext, chart, public_page, query_string
from shinchoku.pagekit.numbers import num, pct
from shinchoku.progress import selectors
from shinchoku.reference.models import Organization
from shinchoku.web.changes import organization_changes
from shinchoku.web.templatetags.shinchoku_tags import fy, ym_short

LEGEND = [Status.COMPLETED, Status.IN_PROGRESS, Status.NOT_STARTED, Status.NOT_APPLICABLE]


def organization(request: HttpRequest, code: str) -> HttpResponse:
    """Accept any code form (42021, full-width, spaces) and redirect to the canonical 6-digit URL."""
    try:
        candidates = code_candidates(code)
    except CodeError:
        return _not_found(request, f"団体コード {code} の団体は見つかりません。", _near(code))
    found = [c for c in candidates if _exists(c)]
    if not found:
        return _not_found(request, f"団体コード {code} の団体は見つかりません。", _near(code))
    canonical = next(c for c in candidates if c in found)
    if canonical != code:
        return redirect(f"/organizations/{canonical}{query_string(dict(request.GET.items()))}", permanent=True)
    return disclosure(request, canonical)


def _exists(code: str) -> bool:
    try:
        selectors.get_organization(code)  # kept for the page, which reads it next
    except selectors.NotFound:
        return False
    return True


RATE_ONLY_NOTE = "総務省の公表は業務ごとの完了率のみ"


def _near(code: str) -> list[Organization]:
    """団体 a mistyped code probably meant: the same first five digits (a wrong last digit), else the same four."""
    digits = "".join(c for c in code if c.isdigit())
    real = Organization.objects.filter(is_practice=False).order_by("code")
    for length in (5, 4):
        if len(digits) >= length:
            near = list(real.filter(code__startswith=digits[:length])[:5])
            if near:
                return near
    return []


def _not_found(request: HttpRequest, message: str, suggestions: list[Organization] | None = None) -> HttpResponse:
    context = {"message": message, "page_summary": message, "suggestions": suggestions or []}
    return render(request, "web/not_found.html", context, status=404)


@public_page
def disclosure(request: HttpRequest, month: MonthContext, code: str) -> HttpResponse:
    org = selectors.get_organization(code)
    progress = selectors.organization_progress(
        code=code, as_of=month.as_of, include_versions=False, steps_as_codes=True
    )
    columns = selectors.step_columns(org, month.as_of)
    systems = progress["systems"]
    s = progress["summary"]
    # Step figures are over the systems with statuses; the others have only 総務省's published rate.
    step_systems = [x for x in systems if x["basis"] == selectors.BASIS_STEPS]
    n = s["systems_with_steps"]
    own = s["own_steps"]
    completed, not_applicable = s["completed"] or 0, s["not_applicable"] or 0
    national = rate_table(
        systems=n, steps=NATIONAL_STEPS, counts=Counts(completed=completed, not_applicable=not_applicable)
    )
    with_own = rate_table(
        systems=n,
        steps=NATIONAL_STEPS + own,
        counts=Counts(
            completed=completed + s["own_completed"],
            not_applicable=not_applicable + s["own_not_applicable"],
        ),
    )
    matrix = _matrix(columns, step_systems)
    trend = selectors.organization_trend(code=code, until=month.as_of)
    total = NATIONAL_STEPS * n
    delays = _delays(systems)
    outlook = organization_section(code, month)  # warnings, forecast, designations
    context = {
        "month": month,
        "org": org,
        "progress": progress,
        "summary": s,
        "systems": systems,
        "step_systems": step_systems,
        "system_rows": _system_rows_html(systems),
        "rate_only_count": len(systems) - len(step_systems),
        "columns": columns,
        "matrix": matrix,
        "matrix_body": _matrix_html(matrix),
        "legend": LEGEND,
        "rates": {"national": national, "with_own": with_own},
        "own_steps": [c for c in columns if c.own],
        "in_progress_rate": (s["in_progress"] or 0) / total if total else None,
        "not_started_rate": (s["not_started"] or 0) / total if total else None,
        "special_count": sum(1 for x in systems if x["special_support"]),
        "delays": delays,
        # What the printout leaves out of the delay explanations (their tables) and of the outlook, counted.
        "print_left_out": {
            "schedules": sum(1 for _, _, d, _ in delays if d.get("schedule")),
            "role_matrices": sum(1 for _, _, _, role_rows in delays if role_rows),
            "designations": len(outlook["designations"]),
        },
        "trend": trend,
        "trend_body": _trend_rows_html(trend),
        "change": organization_changes(trend, month.as_of),
        "og_title": f"{org.display_name}の進捗",
        "og_image": f"/og/organizations/{code}.png",
        "feed": {"url": f"/feeds/organizations/{code}.atom", "title": f"{org.display_name}の進捗（Atom）"},
        "trend_chart": chart(
            "line",
            title=f"{org.display_name}の率の推移",
            categories=[f"{m.year}年{m.month}月" for m, _, _ in trend],
            series=[
                ("完了率（総務省方式）", [c for _, c, _ in trend]),
                ("進捗率（石巻市方式・国のステップのみ）", [p for _, _, p in trend]),
            ],
        ),
        "api_url": f"/api/v1/organizations/{code}/progress?as_of={month.as_of.isoformat()}",
        "page_summary": _summary_text(org, month, s, national.rate, with_own.rate, own),
        "charts": True,
        "landscape_print": True,
        "procedures": _procedures(code, month),
        "rate_only_note": RATE_ONLY_NOTE,
        "outlook": outlook,
    }
    return render(request, "web/organization.html", context)


def _matrix(columns: list[selectors.StepColumn], step_systems: list[dict]) -> list[tuple]:
    """(step column, the systems' statuses in that step) for every column, in the systems' order."""
    by_system = [sys["step_codes"] for sys in step_systems]
    return [
        (col, [STATUS_OF_CODE.get(cells.get(col.key, "N"), Status.NOT_STARTED) for cells in by_system])
        for col in columns
    ]


# A status code as the statuses strings hold it; anything else reads as 未着手, as the API's steps do.
STATUS_OF_CODE = {st.code: st for st in Status}
# One cell of the matrix as HTML, made once per status: the page has up to 40 × systems cells, and the
# template engine renders one variable in several microseconds (three per cell).
CELL_HTML = {
    st: format_html(
        '<td class="st st-{}"><span aria-hidden="true">{}</span><span class="visually-hidden">{}</span></td>',
        st.code,
        st.symbol,
        st.label,
    )
    for st in Status
}


def _matrix_html(matrix: list[tuple]) -> str:
    """The matrix's rows: a step's label and name, then its cells (made once per status)."""
    return mark_safe(  # joined from format_html's escaped parts
        "".join(
            format_html(
                '<tr{}><th scope="row"><span class="step-no">{}</span> {}</th>{}</tr>\n      ',
                mark_safe(' class="own"') if col.own else "",
                col.label,
                col.name or "（名称未登録）",
                mark_safe("".join(CELL_HTML[st] for st in cells)),
            )
            for col, cells in matrix
        )
    )


def _trend_rows_html(trend: list[tuple]) -> str:
    """The trend table's rows (a month each, some forty): months and rates only, so nothing to escape."""
    return mark_safe(  # dates and formatted numbers
        "".join(
            f'<tr><th scope="row">{ym_short(m)}</th><td class="num">{pct(c)}</td><td class="num">{pct(p)}</td></tr>'
            for m, c, p in trend
        )
    )


# The systems table's body, made in Python like the matrix: about twenty values per system, which the template
# engine took some three milliseconds to render for a 団体 of twenty systems. Values are escaped by format_html.
def _system_rows_html(systems: list[dict]) -> str:
    return mark_safe("".join(_system_row(i, s) for i, s in enumerate(systems, start=1)))  # format_html's parts


def _system_row(i: int, s: dict) -> str:
    steps = s["basis"] == selectors.BASIS_STEPS
    own = "" if s["business"] else '<span class="sub">（独自のシステム）</span>'
    package = format_html('<span class="sub">（{}）</span>', s["package"]) if s["package"] else ""
    if s["special_support"]:
        planned = fy(s["planned_completion"])
    elif s["in_operation"]:
        planned = "運用開始済み" + (f"（{ym_short(s['planned_go_live'])}）" if s["planned_go_live"] else "")
    elif s["planned_go_live"]:
        planned = f"{ym_short(s['planned_go_live'])}（運用開始予定）"
    else:
        planned = "—"
    published = s["published_completion_rate"]
    rate_note = (
        format_html('<span class="sub">（総務省の公表値 {}）</span>', pct(published))
        if steps and published is not None and published != s["completion_rate"]
        else ""
    )
    schedule = "—" if s["on_schedule"] is None else "通り" if s["on_schedule"] else "遅れあり"
    if s["delay_explanation"]:
        delay = format_html(
            '<a href="#delay-{}">説明を読む<span class="visually-hidden">（{}）</span></a>', i, s["name"]
        )
    elif s["on_schedule"] is False:
        delay = mark_safe('<span class="no-explanation">説明なし</span>')
    else:
        delay = "—"
    return format_html(
        "<tr>\n"
        '        <th scope="row">{}{}</th>\n'
        '        <td data-label="事業者">{}{}</td>\n'
        '        <td data-label="特定移行支援">{}</td>\n'
        '        <td data-label="移行完了予定">{}</td>\n'
        '        <td class="num" data-label="完了率">{}{}</td>\n'
        '        <td class="num" data-label="進捗率">{}</td>\n'
        '        <td data-label="スケジュール">{}</td>\n'
        '        <td data-label="数値の根拠">{}</td>\n'
        '        <td data-label="遅延の説明">{}</td>\n'
        "      </tr>",
        s["name"],
        mark_safe(own),
        s["vendor"] or "—",
        package,
        "該当" if s["special_support"] else "—",
        planned,
        pct(s["completion_rate"]),
        rate_note,
        pct(s["progress_rate"]) if steps else "—",
        schedule,
        "作業ステップの状態" if steps else "総務省の公表値（完了率のみ）",
        delay,
    )


def _procedures(code: str, month: MonthContext) -> dict | None:
    """The 26 procedures section (市区町村 only; nothing when that data is not published)."""
    from shinchoku.procedures.selectors import organization_procedures

    try:
        return organization_procedures(code, month.as_of)
    except selectors.NotFound:
        return None


def _delays(systems: list[dict]) -> list[tuple[int, dict, dict, list]]:
    """Systems with a delay explanation, numbered as in the systems table, with the role matrix as rows."""
    out = []
    for i, sys in enumerate(systems, start=1):
        d = sys["delay_explanation"]
        if not d:
            continue
        matrix = d.get("role_matrix") or {}
        roles = matrix.get("roles") or []
        rows = [(r.get("task", ""), [(r.get("marks") or {}).get(k, "") for k in roles]) for r in matrix.get("rows", [])]
        out.append((i, sys, d, rows))
    return out


def _summary_text(
    org: Organization, month: MonthContext, s: dict, rate: float | None, rate_own: float | None, own: int
) -> str:
    if not s["systems"]:
        return f"{org.display_name}の{month.short}末時点の報告はまだありません。"
    with_steps = s["systems_with_steps"]
    late = with_steps - s["on_schedule_systems"] if with_steps else None
    text = plain_sentence(late_systems=late, completion_rate=s["completion_rate"], systems=s["systems"]) + (
        f"{org.display_name}の{month.short}末時点の状況です。{num(s['systems'])}の対象システムの完了率"
        f"（総務省方式）は{pct(s['completion_rate'])}です。"
    )
    if not s["systems_with_steps"]:
        return (
            text
            + RATE_ONLY_NOTE
            + "。作業ステップごとの状態と進捗率（石巻市方式）はありません。"
            + ("これは架空のサンプルデータです。" if month.sample_data else "")
        )
    text += f"進捗率（石巻市方式）は、国の作業ステップのみで{pct(rate)}"
    text += f"、独自の作業ステップを含めて{pct(rate_own)}です。" if own else "です。"
    text += f"スケジュール通りのシステムは{num(s['systems_with_steps'])}のうち{num(s['on_schedule_systems'])}です。"
    if month.sample_data:
        text += "これは架空のサンプルデータです。"
    return text
