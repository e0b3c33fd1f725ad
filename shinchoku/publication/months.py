"""Months of any published dataset (progress, procedures …): which exist, which are public, which one a
request means, creating a month on first data and publishing it. One typed implementation for every dataset."""

from __future__ import annotations

from datetime import date
from typing import TypeVar

from django.db.models import Max
from django.utils import timezone

from shinchoku.domain.calendar import parse_date, parse_month, to_month_end

from .memo import per_version
from .models import PublishableMonth
from .provenance import holds_sample
from .versions import data_changed

__all__ = ["NotFound", "ensure_month", "is_sample", "latest_month", "month_list", "publish_month"]

M = TypeVar("M", bound=PublishableMonth)


class NotFound(LookupError):
    """A 団体, month or resource that does not exist (message in Japanese)."""


def month_list(model: type[PublishableMonth], *, published_only: bool = True) -> list[date]:
    return list(_months(model, published_only))  # a copy: the caller's to change


@per_version
def _months(model: type[PublishableMonth], published_only: bool) -> tuple[date, ...]:
    qs = model.objects.all()
    if published_only:
        qs = qs.filter(published=True)
    return tuple(qs.order_by("as_of").values_list("as_of", flat=True))


@per_version
def latest_month(
    model: type[PublishableMonth], value: str | date | None, *, published_only: bool = True, what: str = ""
) -> date:
    """The 基準日 to show: the latest month with data on or before the requested one.

    `2025-05` means May 2025; a full date means the latest 基準日 not after it; nothing means the latest.
    `what` names the data in messages (「手続のオンライン化の」).
    """
    months = model.objects.all()
    if published_only:
        months = months.filter(published=True)
    if value in (None, ""):
        latest = months.aggregate(m=Max("as_of"))["m"]
        if latest is None:
            raise NotFound(f"公開されている{what}データがありません")
        return latest
    if isinstance(value, date):
        target = value
    else:
        text = str(value).strip()
        target = parse_month(text) if len(text) <= 7 else parse_date(text)
    found = months.filter(as_of__lte=target).aggregate(m=Max("as_of"))["m"]
    if found is None:
        raise NotFound(f"{target.isoformat()} 以前の{what}データはありません")
    return found


@per_version
def is_sample(model: type[PublishableMonth], as_of: date) -> bool:
    return model.objects.filter(as_of=as_of, sample_data=True).exists()


def ensure_month(model: type[M], as_of: date, *, auto_publish: bool = False, actor: str = "") -> M:
    """The month row, created on first data; published at once when auto_publish. In a database of sample
    data every month holds fictional data (carried forward at least), so a new month is labelled 架空."""
    month = model.objects.filter(as_of=as_of).first()  # nearly always there: no defaults to work out
    created = False
    if month is None:
        month, created = model.objects.get_or_create(as_of=as_of, defaults={"sample_data": holds_sample()})
    if created and auto_publish:
        month.published = True
        month.published_at = timezone.now()
        month.published_by = actor
        month.save()
    return month


def publish_month(model: type[M], as_of: date, *, actor: str, what: str = "") -> M:
    """Publish a month; idempotent. Call inside a transaction (the row is locked)."""
    month = model.objects.select_for_update().filter(as_of=to_month_end(as_of)).first()
    if month is None:
        raise LookupError(f"{as_of:%Y年%m月} の{what}データはありません")
    if not month.published:
        month.published = True
        month.published_at = timezone.now()
        month.published_by = actor
        month.save()
        data_changed()
    return month
