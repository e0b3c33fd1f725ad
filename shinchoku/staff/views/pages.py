"""Login, dashboard, publishing, practice reset and the audit trail."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from shinchoku.accounts.actor import Actor
from shinchoku.accounts.audit import visible_entries
from shinchoku.accounts.rules import Action, profile_of, require, visible_organizations
from shinchoku.domain.calendar import DateError, parse_month, to_month_end
from shinchoku.progress import services
from shinchoku.progress.models import Month
from shinchoku.progress.practice import ensure_practice
from shinchoku.progress.publish_facts import publish_facts

from ..audit_text import Describer
from .common import base_context, staff_view


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label="ユーザー名", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "username"})
    )
    password = forms.CharField(
        label="パスワード", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    error_messages = {
        "invalid_login": "ユーザー名またはパスワードが正しくありません。",
        "inactive": "このアカウントは無効です。",
    }


class LoginView(auth_views.LoginView):
    template_name = "staff/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


@staff_view
def dashboard(request: HttpRequest) -> HttpResponse:
    profile = profile_of(request.user)
    code = request.GET.get("code", "").strip()
    if code:  # 「団体コードで開く」
        return redirect("staff:grid", code=code[:6])
    orgs = visible_organizations(request.user)
    months = list(Month.objects.order_by("-as_of")[:6])
    ctx = {
        **base_context(request),
        "orgs": orgs,
        "months": months,
        "practice_org": ensure_practice(),
        "profile": profile,
    }
    return render(request, "staff/dashboard.html", ctx)


@staff_view
def publish(request: HttpRequest) -> HttpResponse:
    """The months and their state; choosing one shows what publishing it makes public, then asks to confirm."""
    require(request.user, Action.PUBLISH)
    wanted = request.POST.get("month") or request.GET.get("month") or ""
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        try:
            as_of = parse_month(wanted)
            month = services.month_publish(actor=Actor.of(request.user, "ui"), as_of=as_of)
            messages.success(request, f"{month.as_of.year}年{month.as_of.month}月 を公開しました。")
        except (DateError, LookupError) as e:
            messages.error(request, str(e))
        return redirect("staff:publish")
    ctx: dict = {**base_context(request), "months": Month.objects.order_by("-as_of")}
    if wanted:
        try:
            as_of = to_month_end(parse_month(wanted))
        except DateError as e:
            messages.error(request, str(e))
            return redirect("staff:publish")
        month = Month.objects.filter(as_of=as_of).first()
        if month is None or month.published:
            messages.error(request, f"{as_of.year}年{as_of.month}月 は公開できる月ではありません。")
            return redirect("staff:publish")
        ctx.update(confirm_month=month, facts=publish_facts(as_of))
    return render(request, "staff/publish.html", ctx)


@staff_view
@require_POST
def practice_reset(request: HttpRequest) -> HttpResponse:
    """Only with the confirmation ticked: the practice 団体 is shared, so a reset clears everyone's practice."""
    if request.POST.get("confirm") != "yes":
        messages.error(request, "戻す前に、確認の欄にチェックを入れてください。何も消していません。")
        return redirect("staff:grid", code=ensure_practice().code)
    org = services.practice_reset(actor=Actor.of(request.user, "ui"))
    messages.success(request, "体験モードの団体を最初の状態に戻しました。")
    return redirect("staff:grid", code=org.code)


@staff_view
def audit(request: HttpRequest) -> HttpResponse:
    entries = visible_entries(request.user)
    code = request.GET.get("org", "").strip()
    if code:
        entries = entries.filter(organization_code=code)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    describer = Describer(list(page))
    rows = [describer.describe(e) for e in page]
    ctx = {**base_context(request), "page": page, "rows": rows, "org_filter": code}
    return render(request, "staff/audit.html", ctx)
