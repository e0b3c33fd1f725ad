"""Query and path parameters shared by the read endpoints, and their validation (messages in Japanese)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from ninja import Path, Query

from shinchoku.domain.codes import code_candidates, normalize_code
from shinchoku.progress import selectors
from shinchoku.publication.memo import per_version
from shinchoku.reference.models import Organization

from .schemas import d

AS_OF_DESCRIPTION = d(
    "データ基準日 YYYY-MM-DD または YYYY-MM（その日以前の最新の公開月。省略時は最新の公開月）",
    "as-of date YYYY-MM-DD or YYYY-MM (the latest published month on or before it; default: the latest)",
)
CODE_DESCRIPTION = d(
    "全国地方公共団体コード（6桁。検査数字なしの5桁も可）", "local government code, 6 digits (or 5 without check digit)"
)
PREF_DESCRIPTION = d("都道府県コード（2桁、例: 04）", "2-digit prefecture code, e.g. 04")
# The parameters most operations take, declared once: `as_of: params.AsOfQuery = None`.
AsOfQuery = Annotated[str | None, Query(description=AS_OF_DESCRIPTION)]
PrefQuery = Annotated[str | None, Query(description=PREF_DESCRIPTION)]
CodePath = Annotated[str, Path(description=CODE_DESCRIPTION)]
KINDS = ("都道府県", "政令指定都市", "中核市", "市", "町", "村", "特別区")


class BadParameter(ValueError):
    """A query or path value that cannot be used (400; message in Japanese)."""


def as_of(value: str | None) -> date:
    return selectors.resolve_as_of(value, published_only=True)


def org_code(value: str) -> str:
    """The 6-digit code meant by a path value; only its few candidates are looked up, not all 1,788 codes."""
    return normalize_code(value, _known(tuple(code_candidates(value))))


@per_version  # every 団体 operation resolves its path's code first
def _known(candidates: tuple[str, ...]) -> frozenset[str]:
    return frozenset(Organization.objects.filter(is_practice=False, code__in=candidates).values_list("code", flat=True))


def prefecture(value: str) -> str:
    code = value.strip()
    if code.isdigit() and len(code) == 1:
        code = code.zfill(2)
    if not (code.isascii() and code.isdigit() and len(code) == 2 and 1 <= int(code) <= 47):
        raise BadParameter(f"都道府県コード「{value}」は 01〜47 の2桁の数字で指定してください")
    return code


def kind(value: str) -> str:
    text = value.strip()
    if text not in KINDS:
        raise BadParameter(f"団体区分「{value}」は {'・'.join(KINDS)} のいずれかで指定してください")
    return text
