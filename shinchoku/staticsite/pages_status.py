"""`shinchoku pages status`: how many of the pages to keep stored are current, and how much the store holds.

What an operator asks after publishing a month or installing a new release: a release changes the build (part
of every stored page's epoch, web/stored_pages.py), so every stored page is stale until the warmer has rendered
it again, and is rendered on request meanwhile. The counts are those a pass of `warm` would find (warm.State).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from django.db.models import F, Func, IntegerField, Sum

from shinchoku.publication.models import StoredPage

from .warm import State

__all__ = ["PagesStatus", "pages_status"]


@dataclass(frozen=True)
class PagesStatus:
    wanted: int  # the pages a pass of warm keeps stored
    current: int  # stored and served
    stale: int  # stored but rendered at other versions: rendered on request until the warmer renders them again
    stale_epoch: int  # of those, rendered at another epoch (a release, publishing, an import, a wider write)
    missing: int  # not stored (not rendered yet, or not a page: a 団体 without data in the month)
    unwanted: int  # stored but no longer wanted: the next pass removes them
    stored_bytes: int  # gzip-compressed, as stored
    plain_bytes: int  # as served uncompressed

    def summary(self) -> str:
        lines = [
            f"事前に描画して保存するページ {self.wanted:,} 件：最新 {self.current:,} 件、"
            f"古い {self.stale:,} 件、未保存 {self.missing:,} 件",
            f"保存しているページ {self.current + self.stale + self.unwanted:,} 件"
            f"（圧縮して {_mb(self.stored_bytes)}、展開して {_mb(self.plain_bytes)}）",
        ]
        if self.stale:
            lines.append(
                f"古いページは描き直すまで要求のたびに描画します（うち {self.stale_epoch:,} 件は全体の版の違い："
                "プログラムの更新・公開・取り込みなど）。`shinchoku serve` の描画役が描き直します"
            )
        if self.missing:
            lines.append("未保存のページは要求のたびに描画します（その月のデータがない団体のページを含みます）")
        if self.unwanted:
            lines.append(f"もう表示しないページ {self.unwanted:,} 件は、次に描画するときに削除します")
        return "\n".join(lines)


def _mb(n: int) -> str:
    return f"{n / 1_000_000:,.1f} MB"


def pages_status(only: Collection[str] | None = None, *, months: int | None = None) -> PagesStatus:
    """The store now, against what `shinchoku pages warm` would keep (SHINCHOKU_STORED_MONTHS included; `only`
    and `months` as for warm)."""
    now = State.read(only, months=months)
    current = stale = stale_epoch = missing = 0
    for path, target in now.wanted.items():
        if path not in now.stored:
            missing += 1
        elif now.is_current(path, target):
            current += 1
        else:
            stale += 1
            stale_epoch += now.stored[path][0] != now.epoch
    sizes = StoredPage.objects.aggregate(
        plain=Sum("size"), stored=Sum(Func(F("body"), function="LENGTH", output_field=IntegerField()))
    )
    return PagesStatus(
        wanted=len(now.wanted),
        current=current,
        stale=stale,
        stale_epoch=stale_epoch,
        missing=missing,
        unwanted=len(now.unwanted()),
        stored_bytes=sizes["stored"] or 0,
        plain_bytes=sizes["plain"] or 0,
    )
