"""Upload in the browser: validate and preview (a dry run of the import service), then confirm.

Nothing is written before confirm. The uploaded bytes wait under SHINCHOKU_UPLOAD_DIR named by their
SHA-256; the session remembers which of them this user uploaded (and with which options), so confirm
applies exactly the previewed file and never a re-upload.
"""

from __future__ import annotations

import contextlib
import hashlib
import time
from pathlib import Path

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from shinchoku.accounts.actor import Actor
from shinchoku.accounts.rules import Action
from shinchoku.domain.calendar import DateError, parse_month, to_month_end
from shinchoku.imports.importer import ImportOutcome
from shinchoku.imports.services import ImportOptions, file_import, max_bytes, too_large_problem
from shinchoku.progress.models import Month
from shinchoku.progress.selectors import step_columns
from shinchoku.reference.models import Organization

from ..template_xlsx import progress_template
from .common import base_context, organization_for, staff_month, staff_view

ALLOWED_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".tsv", ".txt"}
SESSION_KEY = "staff_uploads"


class UploadForm(forms.Form):
    file = forms.FileField(
        label="報告ファイル", help_text="Excel（.xlsx / .xls）、ODS、CSV。上限はページ下の注記を参照。"
    )
    format = forms.ChoiceField(
        label="形式",
        choices=[("auto", "自動判定"), ("soumu", "総務省様式"), ("long", "縦長CSV"), ("matrix", "団体別マトリクス")],
        initial="auto",
    )
    as_of = forms.CharField(
        label="基準月（YYYY-MM）",
        required=False,
        max_length=7,
        help_text="ファイルの状態をどの月の報告として取り込むか。団体別マトリクスでは、ファイルに基準日が無くてもこの月になります。",
    )
    allow_new_systems = forms.BooleanField(label="ファイルにある新しいシステムを追加する", required=False)

    def clean_file(self):
        f = self.cleaned_data["file"]
        if f.size > max_bytes():
            raise forms.ValidationError(too_large_problem(f.size, f.name).message)
        if Path(f.name).suffix.lower() not in ALLOWED_SUFFIXES:
            raise forms.ValidationError(
                "この種類のファイルは取り込めません。Excel・ODS・CSV のファイルを選んでください。"
            )
        return f

    def clean_as_of(self):
        text = self.cleaned_data["as_of"].strip()
        if not text:
            return None
        try:
            return to_month_end(parse_month(text))
        except DateError as e:
            raise forms.ValidationError(str(e)) from e


def upload_dir() -> Path:
    """The waiting room for previewed files; files never confirmed are removed after a day."""
    path = Path(settings.SHINCHOKU_UPLOAD_DIR)
    path.mkdir(parents=True, exist_ok=True)
    cutoff = time.time() - 24 * 3600
    for old in path.glob("*.bin"):
        with contextlib.suppress(OSError):
            if old.stat().st_mtime < cutoff:
                old.unlink()
    return path


def _options(org: Organization, entry: dict, *, dry_run: bool, note: str = "") -> ImportOptions:
    return ImportOptions(
        actor="",
        file_name=entry["file_name"],
        format=entry["format"],
        as_of=to_month_end(parse_month(entry["as_of"])) if entry["as_of"] else None,
        org=org.code,  # the page's 団体: a matrix needs no 団体コード inside the file
        allow_new_systems=entry["allow_new_systems"],
        dry_run=dry_run,
        source="ui",
        note=note,
    )


def _page(request: HttpRequest, org: Organization, **ctx: object) -> dict:
    month = staff_month(request)
    return {
        **base_context(request, org),
        "org": org,
        "staff_month": month,
        "max_mb": f"{max_bytes() / 1_000_000:.0f}",
        **ctx,
    }


def _form(request: HttpRequest) -> UploadForm:
    return UploadForm(initial={"as_of": staff_month(request).param})


@staff_view
def template(request: HttpRequest, code: str) -> HttpResponse:
    """The 団体's statuses of the month as a pre-filled XLSX (re-uploaded unchanged: 0 changes)."""
    org = organization_for(request, code)
    month = staff_month(request)
    response = HttpResponse(
        progress_template(org, month.as_of),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="progress_{org.code}_{month.param}.xlsx"'
    return response


@staff_view
def upload(request: HttpRequest, code: str) -> HttpResponse:
    org = organization_for(request, code, Action.EDIT_PROGRESS)
    if request.method != "POST":
        return render(request, "staff/upload.html", _page(request, org, form=_form(request)))
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "staff/upload.html", _page(request, org, form=form), status=400)
    f = form.cleaned_data["file"]
    data = b"".join(f.chunks())
    digest = hashlib.sha256(data).hexdigest()
    as_of = form.cleaned_data["as_of"]
    entry = {
        "file_name": Path(f.name).name[:200],
        "format": form.cleaned_data["format"],
        "as_of": f"{as_of:%Y-%m}" if as_of else "",
        "allow_new_systems": form.cleaned_data["allow_new_systems"],
        "org": org.code,
        "regressions": 0,
    }
    outcome = _preview(request, org, entry, data)
    if outcome.ok:  # only a file that passed the preview waits for confirm; a refused one is never stored
        entry["regressions"] = int(outcome.counts.get("regressions", 0))
        path = upload_dir() / f"{digest}.bin"
        if not path.exists():
            path.write_bytes(data)
        uploads = request.session.get(SESSION_KEY, {})
        uploads[digest] = entry
        request.session[SESSION_KEY] = dict(list(uploads.items())[-5:])  # only the last few wait
    ctx = _page(request, org, outcome=outcome, entry=entry, digest=digest, form=_form(request))
    return render(request, "staff/upload_preview.html", ctx, status=200 if outcome.ok else 422)


@staff_view
@require_POST
def confirm(request: HttpRequest, code: str) -> HttpResponse:
    org = organization_for(request, code, Action.EDIT_PROGRESS)
    digest = request.POST.get("digest", "")
    uploads = request.session.get(SESSION_KEY, {})
    entry = uploads.get(digest)
    path = upload_dir() / f"{digest}.bin" if len(digest) == 64 and digest.isalnum() else None
    if entry is None or entry.get("org") != org.code or path is None or not path.exists():
        msg = "確認したファイルが見つかりません。もう一度アップロードしてください。"
        return render(request, "staff/upload.html", _page(request, org, form=_form(request), error=msg), status=400)
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != digest:
        path.unlink(missing_ok=True)
        msg = "保存されたファイルが壊れています。もう一度アップロードしてください。"
        return render(request, "staff/upload.html", _page(request, org, form=_form(request), error=msg), status=400)
    reason = request.POST.get("reason", "").strip()[:500]
    if entry.get("regressions") and not reason:
        return _preview_again(request, org, entry, digest, data)
    try:
        outcome = file_import(
            actor=Actor.of(request.user, "ui"),
            data=data,
            options=_options(org, entry, dry_run=False, note=reason),
            include_practice=True,
        )
    finally:  # applied, rejected or refused: the file has had its one chance
        uploads.pop(digest, None)
        request.session[SESSION_KEY] = uploads
        path.unlink(missing_ok=True)
    months = [to_month_end(parse_month(m)) for m in outcome.counts.get("months", [])]
    published = set(Month.objects.filter(as_of__in=months, published=True).values_list("as_of", flat=True))
    ctx = _page(
        request,
        org,
        outcome=outcome,
        entry=entry,
        applied=True,
        public_now=[m for m in months if m in published and not org.is_practice],
        private_until_published=[m for m in months if m not in published and not org.is_practice],
    )
    return render(request, "staff/upload_preview.html", ctx, status=200 if outcome.ok else 422)


def _preview(request: HttpRequest, org: Organization, entry: dict, data: bytes) -> ImportOutcome:
    """A dry run of the file, its changed cells labelled with their step's number and name (「①-1 …」)."""
    outcome = file_import(
        actor=Actor.of(request.user, "ui"), data=data, options=_options(org, entry, dry_run=True), include_practice=True
    )
    names = {c.key: f"{c.label} {c.name}" for c in step_columns(org)}
    for change in outcome.counts.get("cell_changes", []):
        change["step_label"] = names.get(change["step"], change["step"])
    return outcome


def _preview_again(request: HttpRequest, org: Organization, entry: dict, digest: str, data: bytes) -> HttpResponse:
    """Regressions need a reason: the preview again (a dry run), with the request for one."""
    outcome = _preview(request, org, entry, data)
    ctx = _page(request, org, outcome=outcome, entry=entry, digest=digest, reason_missing=True)
    return render(request, "staff/upload_preview.html", ctx, status=400)
