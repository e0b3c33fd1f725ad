"""/opendata/: the catalogue page with its data dictionary, a JSON catalogue, and the files by month."""

from __future__ import annotations

import threading
import weakref
from datetime import date

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import content_disposition_header, http_date
from django.views.decorators.http import require_safe

from shinchoku.domain.calendar import DateError
from shinchoku.pagekit.common import month_context
from shinchoku.progress import selectors
from shinchoku.publication.provenance import holds_sample

from . import catalogue, files, store


def _month_key(as_of: date) -> str:
    return f"{as_of:%Y-%m}"


def file_url(month: str, kind: str, fmt: str) -> str:
    return reverse("opendata:file", kwargs={"month": month, "filename": f"{kind}.{catalogue.extension(kind, fmt)}"})


def _links(month: str) -> list[dict]:
    tables = catalogue.describe()
    rows = [
        {
            "name": t.name,
            "title": t.title,
            "links": [
                {"format": catalogue.FORMAT_LABELS[f], "url": file_url(month, t.name, f), "ext": f}
                for f in catalogue.TABLE_FORMATS
            ],
        }
        for t in tables
    ]
    return rows


@require_safe
def catalogue_page(request: HttpRequest) -> HttpResponse:
    try:
        month = month_context(request)
    except selectors.NotFound:
        return render(request, "web/empty.html", status=200)
    key = _month_key(month.as_of)
    latest = selectors.resolve_as_of(None, published_only=True)
    context = {
        "month": month,
        "month_key": key,
        "is_latest": month.as_of == latest,
        "files": _links(key),
        "bundle_url": file_url(key, catalogue.ALL, "sqlite"),
        "latest_bundle_url": file_url("latest", catalogue.ALL, "sqlite"),
        "latest_example_url": file_url("latest", "progress", "csv"),
        "month_example_url": file_url(key, "progress", "csv"),
        "tables": catalogue.describe(sample=month.sample_data),
        "progress_xlsx": catalogue.build_table("progress-wide", month.as_of, month.sample_data),  # rows unread
        "months": [_month_key(m) for m in reversed(selectors.months(published_only=True))],
    }
    return render(request, "opendata/catalogue.html", context)


@require_safe
def catalogue_json(request: HttpRequest) -> JsonResponse:
    months = selectors.months(published_only=True)
    doc = {
        "latest": _month_key(months[-1]) if months else None,
        "months": [
            {"month": _month_key(m), "as_of": m.isoformat(), "sample_data": selectors.is_sample(m)} for m in months
        ],
        "url_template": "/opendata/{month}/{name}.{ext}",
        "files": sorted(f"{name}.{catalogue.extension(name, fmt)}" for name, fmt in catalogue.WEB_FILES),
        "tables": [
            {
                "name": t.name,
                "sql_name": t.sql_name,
                "title": t.title,
                "description": t.description,
                "columns": [
                    {"heading": c.heading, "key": c.key, "meaning": c.meaning, "type": c.kind, "example": c.example}
                    for c in t.columns
                ],
            }
            for t in catalogue.describe(sample=holds_sample())
        ],
    }
    response = JsonResponse(doc, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "public, max-age=300"
    return response


RETRY_AFTER_SECONDS = 10
# Files sent at once per worker process: a download holds a thread until the client has read it all, so
# the worker's other threads stay free for pages and the API. Over the limit: 503 with a short Retry-After.
DOWNLOAD_SLOTS = 2
BUSY_RETRY_SECONDS = 3
_slots = threading.BoundedSemaphore(DOWNLOAD_SLOTS)


class _Slot:
    """One taken download slot, given back once: when the response is closed, or dropped unclosed."""

    def __init__(self, slots: threading.BoundedSemaphore) -> None:
        self.slots, self.held = slots, True

    def release(self) -> None:
        if self.held:
            self.held = False
            self.slots.release()


def _hold_until_closed(response: HttpResponse, slot: _Slot) -> None:
    ref = weakref.ref(response)  # no cycle through the response: a dropped one is freed (and released) at once

    def close_and_release() -> None:
        try:
            r = ref()
            if r is not None:
                type(r).close(r)
        finally:
            slot.release()

    response.close = close_and_release
    weakref.finalize(response, slot.release)  # a response replaced by a 304 is never closed


def _unavailable(message: str, retry_after: int) -> HttpResponse:
    response = HttpResponse(message + "\n", status=503, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    response["Access-Control-Allow-Origin"] = "*"
    response._has_been_logged = True  # expected, not a server error: no error log
    return response


def _not_built(as_of: date, kind: str, filename: str) -> HttpResponse:
    """503 for a file the builder has not made yet (it is asked for now, so it is built first)."""
    files_name = f"{catalogue.file_stem(kind, as_of)}.{filename.rpartition('.')[2]}"
    message = (
        f"{files_name} は作成中です。{RETRY_AFTER_SECONDS} 秒ほどしてから、もう一度ダウンロードしてください。"
        "（公開・更新された月のファイルは、サーバーが順に作成します）"
    )
    if not store.builder_alive():
        message += "\nファイルを作成する処理が動いていません。運用者は shinchoku opendata build を実行してください。"
    return _unavailable(message, RETRY_AFTER_SECONDS)


@require_safe
def download(request: HttpRequest, month: str, filename: str) -> HttpResponse:
    kind, _, ext = filename.rpartition(".")
    fmt = "csv" if ext == "zip" else ext
    if (kind, fmt) not in catalogue.WEB_FILES or catalogue.extension(kind, fmt) != ext:
        raise Http404(f"「{filename}」というファイルはありません")
    try:
        as_of = files.published_month(month)
    except (selectors.NotFound, DateError) as exc:
        raise Http404(str(exc)) from None
    slots = _slots
    if not slots.acquire(blocking=False):
        return _unavailable(
            f"ダウンロードが混み合っています。{BUSY_RETRY_SECONDS} 秒ほどしてから、もう一度お試しください。",
            BUSY_RETRY_SECONDS,
        )
    slot = _Slot(slots)
    try:
        opened = files.open_built(as_of, filename)
    except BaseException:
        slot.release()
        raise
    if opened is None:
        slot.release()
        store.want(as_of, filename)
        return _not_built(as_of, kind, filename)
    entry, fh = opened
    name = f"{catalogue.file_stem(kind, as_of)}.{ext}"
    content_type = catalogue.CONTENT_TYPES[ext]
    send_gz = entry.gz and "gzip" in request.META.get("HTTP_ACCEPT_ENCODING", "")
    response: HttpResponse
    if entry.gz and not send_gz:
        response = StreamingHttpResponse(files.gunzip(fh), content_type=content_type)
        response["Content-Disposition"] = content_disposition_header(True, name)
        response["Content-Length"] = str(entry.size)
    else:
        response = FileResponse(fh, as_attachment=True, filename=name, content_type=content_type)
    if send_gz:
        response["Content-Encoding"] = "gzip"  # also keeps GZipMiddleware from compressing it again
    response["Vary"] = "Accept-Encoding"
    response["ETag"] = f'"{entry.sha[:16]}{"-gz" if send_gz else ""}"'
    response["Last-Modified"] = http_date(entry.built_at)
    response["Cache-Control"] = "public, max-age=300" if month == "latest" else "public, max-age=3600"
    response["Access-Control-Allow-Origin"] = "*"
    _hold_until_closed(response, slot)
    return response
