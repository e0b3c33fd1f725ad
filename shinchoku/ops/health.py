"""`GET /healthz` for load balancers and monitors, and the migration check `shinchoku serve` makes."""

from __future__ import annotations

import logging
from functools import lru_cache

from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def _known_migrations() -> frozenset[tuple[str, str]]:
    """Every migration shipped with the code (read from disk once per process; the code does not change)."""
    return frozenset(MigrationLoader(None, ignore_no_migrations=True).graph.nodes)


def pending_migrations() -> list[str]:
    """Migrations of the code not yet applied to the database ("app.name"), in name order.

    One query when everything is applied (every health check); otherwise Django's own plan, as
    `migrate --check` makes it (squashed migrations are then counted right).
    """
    recorder = MigrationRecorder(connection)
    applied = set(recorder.applied_migrations()) if recorder.has_table() else set()
    if not _known_migrations() - applied:
        return []
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers, every migration is applied and the data version can be read; else 503."""
    body: dict[str, object] = {"status": "ok", "database": "ok", "migrations": "ok", "data_version": None}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as exc:
        logger.error("healthz: database unreachable: %s", exc)
        body.update(status="error", database="error", migrations="unknown")
        body["message"] = "データベースに接続できません。"
        return JsonResponse(body, status=503, json_dumps_params={"ensure_ascii": False})
    pending = pending_migrations()
    if pending:
        body.update(status="error", migrations="pending", pending_migrations=pending)
        body["message"] = "データベースの移行が済んでいません（shinchoku init または shinchoku serve --migrate）。"
        return JsonResponse(body, status=503, json_dumps_params={"ensure_ascii": False})
    from shinchoku.opendata import revision

    try:
        body["data_version"] = revision.current()
    except DatabaseError as exc:
        logger.error("healthz: data version unreadable: %s", exc)
        body.update(status="error", message="データの版を読めません。")
        return JsonResponse(body, status=503, json_dumps_params={"ensure_ascii": False})
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})
