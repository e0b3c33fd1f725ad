"""Staff pages: a 団体's operating costs per 年度 for the month being reported, and its XLSX template.

One plain form per 年度 (the four categories in 千円, the total computed, a comment), so it works without
JavaScript; cost_form.js only updates the total while typing. Permissions, the transaction and the audit entry
are the service's (services.cost_year_save / cost_year_withdraw). Files go through the staff upload (preview, confirm).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from shinchoku.accounts.actor import Actor
from shinchoku.accounts.rules import Action, can
from shinchoku.costs import services
from shinchoku.costs.domain import BASELINE_YEAR, CATEGORIES, AmountError, parse_amount, ratio
from shinchoku.costs.importer import latest_year
from shinchoku.costs.parser import MAX_COMMENT
from shinchoku.costs.template_xlsx import template_bytes
from shinchoku.reference.models import Organization
from shinchoku.staff.views.common import base_context, organization_for, saved, staff_month, staff_view


class CostForm(forms.Form):
    """A 年度's four category amounts (千円, empty = not reported) and its comment."""

    fiscal_year = forms.TypedChoiceField(label="年度", coerce=int)
    comment = forms.CharField(
        label="この年度のコメント",
        required=False,
        max_length=MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="増減の理由など。公開ページに表示されます。個人名は書かないでください。",
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        years = range(BASELINE_YEAR, latest_year() + 1)
        self.fields["fiscal_year"].choices = [(y, f"{y}年度") for y in reversed(years)]
        for c in CATEGORIES:
            self.fields[c.key] = forms.CharField(
                label=f"{c.label}（千円）",
                required=False,
                max_length=20,
                widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "data-cost": "1"}),
            )
        self.order_fields(["fiscal_year", *[c.key for c in CATEGORIES], "comment"])

    def clean(self) -> dict:
        data = super().clean() or {}
        amounts: dict[str, int | None] = {}
        for c in CATEGORIES:
            try:
                amounts[c.key] = parse_amount(data.get(c.key) or None)
            except AmountError as e:
                self.add_error(c.key, str(e))
        if not self.errors and all(v is None for v in amounts.values()):
            self.add_error(CATEGORIES[0].key, "少なくとも1つの区分の金額を入力してください。")
        data["amounts"] = amounts
        return data


def _years(org: Organization, as_of) -> list[dict]:
    reports = {fy: r for (_o, fy), r in services.reports_at([org.code], as_of).items() if r.total is not None}
    base = reports.get(BASELINE_YEAR)
    return [
        {
            "fiscal_year": fy,
            "report": reports.get(fy),
            "ratio": ratio(reports[fy].total, base.total if base else None) if fy in reports else None,
        }
        for fy in range(BASELINE_YEAR, latest_year() + 1)
    ]


def _initial(report: services.YearReport | None, fiscal_year: int) -> dict:
    initial: dict[str, object] = {"fiscal_year": fiscal_year, "comment": report.comment if report else ""}
    if report is not None and report.total is not None:
        amounts = report.by_category()
        for c in CATEGORIES:
            if c.key in report.reported_categories():
                initial[c.key] = str(amounts[c.key])
    return initial


@staff_view
def costs(request: HttpRequest, code: str) -> HttpResponse:
    month = staff_month(request)
    status = 200
    if request.method == "POST":
        org = organization_for(request, code, Action.EDIT_COSTS)
        if "withdraw" in request.POST:
            return _withdraw(request, org, month)
        form = CostForm(request.POST)
        if form.is_valid():
            fy = form.cleaned_data["fiscal_year"]
            try:
                changed = services.cost_year_save(
                    actor=Actor.of(request.user, "ui"),
                    org=org,
                    as_of=month.as_of,
                    fiscal_year=fy,
                    amounts=form.cleaned_data["amounts"],
                    comment=form.cleaned_data["comment"],
                )
            except services.CostEditError as e:
                form.add_error(None, str(e))
            else:
                return saved(
                    request,
                    changed,
                    f"{fy}年度の運用経費（{month.label}の報告）を保存しました。",
                    f"{reverse('staff:staff_costs', args=[org.code])}?as_of={month.param}&fy={fy}",
                )
        status = 400
    else:
        org = organization_for(request, code)
        form = None
    years = _years(org, month.as_of)
    chosen = _chosen_year(request, years)
    if form is None:
        report = next((y["report"] for y in years if y["fiscal_year"] == chosen), None)
        form = CostForm(initial=_initial(report, chosen))
    ctx = {
        **base_context(request, org),
        "org": org,
        "staff_month": month,
        "years": years,
        "chosen": chosen,
        "chosen_report": next((y["report"] for y in years if y["fiscal_year"] == chosen), None),
        "form": form,
        "categories": CATEGORIES,
        "can_edit": can(request.user, Action.EDIT_COSTS, org),
    }
    return render(request, "costs/staff_costs.html", ctx, status=status)


def _chosen_year(request: HttpRequest, years: list[dict]) -> int:
    raw = request.POST.get("fiscal_year") or request.GET.get("fy") or ""
    known = [y["fiscal_year"] for y in years]
    if raw.isdigit() and int(raw) in known:
        return int(raw)
    missing = [y["fiscal_year"] for y in years if y["report"] is None]
    return missing[0] if missing else known[-1]


def _withdraw(request: HttpRequest, org: Organization, month) -> HttpResponse:
    raw = request.POST.get("fiscal_year", "")
    fy = int(raw) if raw.isdigit() else 0
    if services.cost_year_withdraw(actor=Actor.of(request.user, "ui"), org=org, as_of=month.as_of, fiscal_year=fy):
        messages.success(request, f"{fy}年度の運用経費の報告を取り消しました（{month.label}から）。")
    else:
        messages.info(request, "取り消す報告はありませんでした。")
    return redirect(f"{reverse('staff:staff_costs', args=[org.code])}?as_of={month.param}&fy={fy}")


@staff_view
def template(request: HttpRequest, code: str) -> HttpResponse:
    """The 団体's XLSX template, filled with its figures in force at the month (readable with READ)."""
    org = organization_for(request, code)
    month = staff_month(request)
    data = template_bytes(org, month.as_of)
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="costs_{org.code}_{month.as_of:%Y-%m}.xlsx"'
    return response
