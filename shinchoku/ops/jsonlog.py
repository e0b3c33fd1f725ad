"""Log records as JSON lines, each with the id of the request it belongs to."""

from __future__ import annotations

import json
import logging
from contextvars import ContextVar
from datetime import UTC, datetime

# Set by ops.middleware.RequestLog for the duration of a request.
request_id: ContextVar[str | None] = ContextVar("shinchoku_request_id", default=None)


class JsonFormatter(logging.Formatter):
    """One JSON object per line: ts, level, logger, message, request_id, the record's `fields`, exc."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        # django.request logs a 4xx/5xx after the middleware has returned, but passes the request along
        current = (
            getattr(record, "request_id", None)
            or getattr(getattr(record, "request", None), "shinchoku_request_id", None)
            or request_id.get()
        )
        if current:
            line["request_id"] = current
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            line.update(fields)
        if record.exc_info:
            line["exc"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)
