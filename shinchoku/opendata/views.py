"""/opendata/: the catalogue page with its data dictionary, a JSON catalogue, and the files by month."""

from __future__ import annotations

from datetime import UTC, date, datetime

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from shinchoku.domain.calendar import DateError
from shinchoku.progress import selectors
from shinchoku.publication.provenance import holds_sample
from shinchoku.web.views.common import month_context

from . import catalogue, files


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
    f = files.ensure(kind, fmt, as_of)
    use_gz = f.gz is not None and "gzip" in request.META.get("HTTP_ACCEPT_ENCODING", "")
    path = f.gz if use_gz and f.gz is not None else f.path
    response = FileResponse(path.open("rb"), as_attachment=True, filename=f.filename, content_type=f.content_type)
    if use_gz:
        response["Content-Encoding"] = "gzip"  # also keeps GZipMiddleware from compressing it again
        response["Content-Length"] = str(path.stat().st_size)
    response["Vary"] = "Accept-Encoding"
    response["ETag"] = f'"{f.version}-{filename}{"-gz" if use_gz else ""}"'
    response["Last-Modified"] = http_date(datetime.fromtimestamp(f.path.stat().st_mtime, tz=UTC).timestamp())
    response["Cache-Control"] = "public, max-age=300" if month == "latest" else "public, max-age=3600"
    response["Access-Control-Allow-Origin"] = "*"
    return response
