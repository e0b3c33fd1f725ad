"""The JSON API (`/api/v1`), OpenAPI at `/api/v1/openapi.json`.

Routers: one module per resource. The read routers (summaries, areas, organizations) are public and their
GETs are marked `cache.public_read`; the procedures router and the staff writes are registered after them.
"""

from __future__ import annotations

import logging

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import re_path
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from shinchoku.api import costs as costs_api  # operating costs and the ガバメントクラウド
from shinchoku.api import outlook as outlook_api  # warnings and forecasts
from shinchoku.api import procedures as procedures_api  # 26 procedures
from shinchoku.domain.calendar import DateError
from shinchoku.domain.codes import CodeError
from shinchoku.progress.selectors import NotFound

from . import areas, followup, organizations, summaries, writes
from .docs import LocalSwagger
from .params import BadParameter
from .renderers import UTF8JSONRenderer

logger = logging.getLogger(__name__)


class ShinchokuAPI(NinjaAPI):
    def _get_urls(self) -> list:
        urls = super()._get_urls()
        # any other path under /api/v1/ answers in the API's error format rather than Django's HTML page
        urls.append(re_path(r"^.*$", self._unknown_path, name="api-unknown"))
        return urls

    def _unknown_path(self, request: HttpRequest) -> HttpResponse:
        message = f"API に「{request.path}」はありません。/api/v1/docs を参照してください。"
        return error(request, 404, "not_found", message)


api = ShinchokuAPI(
    title="shinchoku API — 自治体DX 進捗ダッシュボード",
    version="1.0.0",
    description=(
        "地方公共団体の基幹業務システム標準化の進捗（40作業ステップ）を提供します。率は 0〜1 の小数、日付は ISO 8601、"
        "団体コードは6桁の文字列です。架空のサンプルデータを含む応答には `sample_data: true` が付きます。"
        "すべての GET は ETag を返し、If-None-Match が一致すれば 304 を返します。"
        " / Progress of Japanese local governments' system standardisation. Rates are fractions 0-1, dates ISO 8601,"
        " codes 6-digit strings; responses carrying fictional sample data have `sample_data: true`. Every GET has an"
        " ETag; a matching If-None-Match gives 304."
    ),
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
    docs=LocalSwagger(),  # Swagger UI from the site itself (the CSP allows no CDN)
    renderer=UTF8JSONRenderer(),
)
api.add_router("/", summaries.router)
api.add_router("/", areas.router)
api.add_router("/organizations", organizations.router)
api.add_router("/", procedures_api.router)  # 26 procedures
api.add_router("/", costs_api.router)  # operating costs and the ガバメントクラウド
api.add_router("/", outlook_api.router)  # warnings and forecasts
api.add_router("/", writes.router)  # staff writes: cell PUT and imports
api.add_router("/", followup.router)  # staff read: a prefecture's follow-up list


def error(request: HttpRequest, status: int, code: str, message: str, details: object = None) -> HttpResponse:
    return api.create_response(
        request, {"error": {"code": code, "message": message, "details": details}}, status=status
    )


@api.exception_handler(NotFound)
def _not_found(request: HttpRequest, exc: NotFound) -> HttpResponse:
    return error(request, 404, "not_found", str(exc))


@api.exception_handler(Http404)
def _http_404(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error(request, 404, "not_found", "見つかりません")


@api.exception_handler(CodeError)
def _bad_code(request: HttpRequest, exc: CodeError) -> HttpResponse:
    return error(request, 404, "unknown_code", str(exc))


@api.exception_handler(DateError)
def _bad_date(request: HttpRequest, exc: DateError) -> HttpResponse:
    return error(request, 400, "bad_date", str(exc))


@api.exception_handler(BadParameter)
def _bad_parameter(request: HttpRequest, exc: BadParameter) -> HttpResponse:
    return error(request, 400, "bad_parameter", str(exc))


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return error(request, 422, "invalid_request", "リクエストの値が正しくありません", exc.errors)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    message = (
        "認証が必要です。有効な API トークンを Authorization: Bearer … で送ってください"
        "（トークンがない・失効した・正しくない場合もこの応答です）。"
    )
    response = error(request, 401, "unauthorized", message)
    response["WWW-Authenticate"] = 'Bearer realm="shinchoku"'
    return response


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 403 and "CSRF" in str(exc):
        message = "CSRF トークンがないか正しくありません。ページを読み込み直してから操作してください。"
        return error(request, 403, "csrf_failed", message)
    return error(request, exc.status_code, "http_error", str(exc))


@api.exception_handler(Exception)
def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("API error on %s", request.path)
    return error(request, 500, "server_error", "サーバーで予期しない問題が起きました。時間をおいて再度お試しください。")
