"""A model field for JSON that is written and read whole and never queried inside."""

from __future__ import annotations

import json
from typing import Any

from django.db import models


def json_text(value: Any) -> str:
    """The stored text of a JSON value: compact, Japanese as is."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class JSONText(models.TextField):
    """JSON kept as text. PostgreSQL's jsonb parses every number of a value on the way in: a month's table of
    step counts (47 prefectures × 40 steps × 4 statuses, 33 KB) took about 5 ms per row, paid again by every
    staff edit that rewrites it. Nothing looks inside these values in SQL, so text loses nothing."""

    description = "JSON kept as text"

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        return None if value is None else json.loads(value)

    def to_python(self, value: Any) -> Any:
        return json.loads(value) if isinstance(value, str) else value

    def get_prep_value(self, value: Any) -> Any:
        if value is None:
            return None
        return json_text(value)

    def value_to_string(self, obj: models.Model) -> str:
        return self.get_prep_value(self.value_from_object(obj))
