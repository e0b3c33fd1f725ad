"""How a public read operation is declared: one decorator instead of `router.get(...)` + `@public_read`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from ninja import Router

from .cache import public_read
from .schemas import ERRORS

F = TypeVar("F", bound=Callable[..., Any])


def public_get(router: Router, path: str, schema: Any, summary: str, **options: Any) -> Callable[[F], F]:
    """A GET of published data: `schema` for 200 and the shared error bodies; its 200s may be cached."""

    def register(view: F) -> F:
        return router.get(path, response={200: schema, **ERRORS}, summary=summary, **options)(public_read(view))

    return register
