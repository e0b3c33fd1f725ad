"""The JSON API (`/api/v1`), OpenAPI at `/api/v1/openapi.json`."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError

from shinchoku.domain.calendar import DateError
from shinchoku.domain.codes import CodeError
from shinchoku.progress.selectors import NotFound

from . import organizations, summaries

api = NinjaAPI(
    title="shinchoku API — 自治体DX 進捗ダッシュボード",
    version="1.0.0",
    description=(
        "地方公共団体の基幹業務システム標準化の進捗（40作業ステップ）を提供します。率は 0〜1 の小数です。"
        " / Progress of Japanese local governments' system standardisation. Rates are fractions 0-1."
    ),
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
)
api.add_router("/", summaries.router)
api.add_router("/organizations", organizations.router)


def error(request: HttpRequest, status: int, code: str, message: str, details: object = None) -> HttpResponse:
    return api.create_response(
        request, {"error": {"code": code, "message": message, "details": details}}, status=status
    )


@api.exception_handler(NotFound)
def _not_found(request: HttpRequest, exc: NotFound) -> HttpResponse:
    return error(request, 404, "not_found", str(exc))


@api.exception_handler(CodeError)
def _bad_code(request: HttpRequest, exc: CodeError) -> HttpResponse:
    return error(request, 404, "unknown_code", str(exc))


@api.exception_handler(DateError)
def _bad_date(request: HttpRequest, exc: DateError) -> HttpResponse:
    return error(request, 400, "bad_date", str(exc))


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return error(request, 422, "invalid_request", "リクエストの値が正しくありません", exc.errors)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return error(request, exc.status_code, "http_error", str(exc))
