"""System attributes, extra systems, own steps, and delay explanations per system and month."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse

from shinchoku.accounts.actor import Actor
from shinchoku.accounts.rules import Action, can
from shinchoku.progress import services
from shinchoku.progress.attributes import ATTRIBUTE_FIELDS, Attributes, attributes_at, attributes_of
from shinchoku.progress.models import DelayExplanation, OwnStep, System
from shinchoku.progress.selectors import NotFound, organization_progress
from shinchoku.reference.models import Organization

from ..forms import (
    DelayForm,
    NewSystemForm,
    OwnStepForm,
    RoleFormSet,
    ScheduleFormSet,
    SystemForm,
    role_matrix_initial,
    role_matrix_value,
    schedule_value,
)
from .common import StaffMonth, base_context, organization_for, staff_month, staff_view


def _system(request: HttpRequest, code: str, pk: int) -> tuple[Organization, System, StaffMonth]:
    """The 団体 (read access), one of its systems (404 otherwise) and the staff month of a system's page."""
    org = organization_for(request, code)
    system = System.objects.select_related("organization").filter(organization_id=org.code, pk=pk).first()
    if system is None:
        raise Http404("対象システムが見つかりません")
    return org, system, staff_month(request)


@staff_view
def systems(request: HttpRequest, code: str) -> HttpResponse:
    org = organization_for(request, code)
    new_form, step_form = NewSystemForm(), OwnStepForm()
    status = 200
    if request.method == "POST":
        if "add_system" in request.POST:
            new_form = NewSystemForm(request.POST)
            if new_form.is_valid():
                try:
                    s = services.system_add(
                        actor=Actor.of(request.user, "ui"), org=org, name=new_form.cleaned_data["name"]
                    )
                    messages.success(request, f"システム「{s.name}」を追加しました。")
                    return redirect("staff:systems", code=org.code)
                except IntegrityError:
                    new_form.add_error("name", "同じ名前のシステムがすでにあります。")
        elif "add_own_step" in request.POST:
            step_form = OwnStepForm(request.POST)
            if step_form.is_valid():
                st = services.own_step_add(
                    actor=Actor.of(request.user, "ui"),
                    org=org,
                    name=step_form.cleaned_data["name"],
                    as_of=staff_month(request).as_of,
                )
                messages.success(request, f"{st.key}「{st.name}」を追加しました。")
                return redirect("staff:systems", code=org.code)
        status = 400
    month = staff_month(request)
    systems = list(System.objects.filter(organization=org).order_by("sort_order", "name"))
    attrs = attributes_at(month.as_of, [s.pk for s in systems])
    lateness = _lateness(org.code, month.as_of)
    ctx = {
        **base_context(request, org),
        "org": org,
        "staff_month": month,
        "systems": [(s, attrs.get(s.pk, Attributes()), lateness.get(s.name)) for s in systems],
        "own_steps": OwnStep.objects.filter(organization=org),
        "new_form": new_form,
        "step_form": step_form,
        "can_edit": can(request.user, Action.EDIT_SYSTEMS, org),
    }
    return render(request, "staff/systems.html", ctx, status=status)


def _lateness(code: str, as_of: date) -> dict[str, object]:
    """Per system name: False (on schedule), "explained" or "unexplained" (late), None when unknown."""
    try:
        doc = organization_progress(code=code, as_of=as_of, include_versions=False)
    except NotFound:  # the practice 団体 has no public document
        return {}
    out: dict[str, object] = {}
    for s in doc["systems"]:
        if s["on_schedule"] is None:
            out[s["name"]] = None
        elif s["on_schedule"]:
            out[s["name"]] = False
        else:
            out[s["name"]] = "explained" if s["delay_explanation"] else "unexplained"
    return out


@staff_view
def system_edit(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    org, system, month = _system(request, code, pk)
    form = SystemForm.for_attributes(attributes_of(system, month.as_of).as_dict())
    status = 200
    if request.method == "POST":
        form = SystemForm(request.POST)
        if form.is_valid():
            values = {f: form.cleaned_data[f] for f in ATTRIBUTE_FIELDS}
            services.system_update(actor=Actor.of(request.user, "ui"), system=system, as_of=month.as_of, values=values)
            messages.success(request, f"「{system.name}」の情報（{month.label}から）を保存しました。")
            return redirect(f"{reverse('staff:systems', args=[org.code])}?as_of={month.param}")
        status = 400
    ctx = _system_context(request, org, system, month, form, can_edit=can(request.user, Action.EDIT_SYSTEMS, org))
    return render(request, "staff/system_edit.html", ctx, status=status)


def _delay_initial(d: DelayExplanation) -> dict:
    return {
        "department": d.department,
        "expected_completion": d.expected_completion,
        "reason": d.reason,
        "impact": "yes" if d.impact else "no",
        "impact_reason": d.impact_reason,
    }


def _with_one_more_row(data: QueryDict, prefix: str) -> QueryDict:
    """The posted form again with one more empty row (「行を追加」, also without JavaScript)."""
    more = data.copy()
    key = f"{prefix}-TOTAL_FORMS"
    more[key] = str(int(data.get(key, "0") or 0) + 1)
    return more


@staff_view
def delay(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    org, system, month = _system(request, code, pk)
    current = DelayExplanation.objects.filter(system=system, as_of=month.as_of).first()
    # without one for this month, the latest earlier explanation is carried forward (to be checked and saved)
    carried = (
        None
        if current
        else DelayExplanation.objects.filter(system=system, as_of__lt=month.as_of).order_by("-as_of").first()
    )
    status = 200
    if request.method == "POST":
        data = request.POST
        if "add_row" in data:
            data = _with_one_more_row(data, "schedule")
        form = DelayForm(data)
        schedule = ScheduleFormSet(data, prefix="schedule")
        roles = RoleFormSet(data, prefix="roles")
        valid = form.is_valid() and schedule.is_valid() and roles.is_valid()
        if "add_row" not in data and valid:
            values = {
                **form.cleaned_data,
                "schedule": schedule_value(schedule),
                "role_matrix": role_matrix_value(roles),
            }
            services.delay_save(actor=Actor.of(request.user, "ui"), system=system, as_of=month.as_of, values=values)
            messages.success(request, f"「{system.name}」の遅延の説明（{month.label}）を保存しました。")
            return redirect(f"{reverse('staff:delay', args=[org.code, system.pk])}?as_of={month.param}")
        if "add_row" not in data:
            status = 400
    else:
        source = current or carried
        form = DelayForm(initial=_delay_initial(source) if source else None)
        schedule = ScheduleFormSet(prefix="schedule", initial=source.schedule if source else None)
        roles = RoleFormSet(prefix="roles", initial=role_matrix_initial(source.role_matrix) if source else None)
    ctx = _system_context(
        request,
        org,
        system,
        month,
        form,
        schedule=schedule,
        roles=roles,
        current=current,
        carried=carried,
        can_edit=can(request.user, Action.EDIT_DELAY, org),
    )
    return render(request, "staff/delay.html", ctx, status=status)


def _system_context(
    request: HttpRequest, org: Organization, system: System, month: StaffMonth, form: object, **extra: object
) -> dict:
    """What a page about one system of a month shows besides its own parts: the 団体, the month, the form."""
    return {**base_context(request, org), "org": org, "system": system, "staff_month": month, "form": form, **extra}
