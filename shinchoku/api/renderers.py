"""JSON as UTF-8 text: Japanese stays readable (no \\uXXXX escapes) and the body is a third smaller."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from ninja.renderers import BaseRenderer
from ninja.responses import NinjaJSONEncoder


class UTF8JSONRenderer(BaseRenderer):
    media_type = "application/json"
    charset = "utf-8"

    def render(self, request: HttpRequest, data: Any, *, response_status: int) -> Any:
        return json.dumps(data, cls=NinjaJSONEncoder, ensure_ascii=False, separators=(",", ":"))
