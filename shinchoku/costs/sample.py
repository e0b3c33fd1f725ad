"""Fictional operating costs (架空のサンプルデータ) for part of the 団体, deterministic for a seed. Nothing here is
real data.

Calibrated to the published survey figures: in FY2025, after migration, the 中核市 in the sample spend on average
2.3 times their FY2018 cost and at most 5.7 times (中核市市長会, January 2025); the 特別区 1.6 times (東京都's
estimate); other 団体 about twice. Before migration costs drift up slowly; the migration year runs old and new
systems side by side. Amounts are split into the four categories (ガバメントクラウド利用料 only after migration).
"""

from __future__ import annotations

import math
import random
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date

from .domain import BASELINE_YEAR, CATEGORY_KEYS

LAST_YEAR = 2025  # the calibrated 年度: every sample 団体 has migrated by then
# Share of 団体 of each kind with sample costs, and a typical FY2018 operating cost (千円)
KIND_SHARE = {"政令指定都市": 0.6, "中核市": 0.8, "特別区": 0.6, "市": 0.3, "町": 0.2, "村": 0.15, "都道府県": 0.3}
KIND_SCALE = {
    "政令指定都市": 1_800_000,
    "中核市": 450_000,
    "特別区": 350_000,
    "市": 130_000,
    "町": 45_000,
    "村": 18_000,
    "都道府県": 60_000,
}
# Mean ratio to FY2018 after migration: 中核市市長会's survey (2.3×), 東京都's estimate for the 特別区 (1.6×)
POST_MEAN = {"中核市": 2.3, "特別区": 1.6}
DEFAULT_POST_MEAN = 2.0
MAX_RATIO = 5.7  # 中核市市長会: up to 5.7×
SIGMA = 0.42
ALWAYS = ("042021", "040002")  # 石巻市 and 宮城県 have sample costs (the demo's example 団体)
# Category shares before and after migration (system_usage, gov_cloud, network, operations)
PRE_SPLIT = (0.84, 0.0, 0.10, 0.06)
POST_SPLIT = (0.50, 0.30, 0.10, 0.10)
COMMENTS = (
    "標準準拠システムへの移行に伴い、ガバメントクラウド利用料と回線費が新たに発生しました。",
    "移行年度は旧システムと標準準拠システムを並行して運用したため、一時的に増えています。",
    "ガバメントクラウドの利用料は為替の影響を受けています。",
)
PER_SYSTEM = ("住民基本台帳", "個人住民税", "固定資産税", "国民健康保険", "介護保険")


@dataclass(frozen=True)
class Org:
    code: str
    kind: str


@dataclass
class SampleYear:
    org: str
    fiscal_year: int
    as_of: date
    lines: list[tuple[str, str, int]]  # (category key, system, amount in 千円)
    comment: str = ""

    @property
    def total(self) -> int:
        return sum(a for _c, _s, a in self.lines)


@dataclass
class SampleCosts:
    years: list[SampleYear] = field(default_factory=list)
    post_ratio: dict[str, float] = field(default_factory=dict)  # the drawn ratio after migration, per 団体


def report_month(fiscal_year: int, first_month: date) -> date:
    """When a 年度's figures are reported: in the June after it ends, and the years before the sample begins
    in its first month."""
    return max(date(fiscal_year + 1, 6, 30), first_month)


def _lognormal(rng: random.Random, mean: float) -> float:
    mu = math.log(mean) - SIGMA**2 / 2
    return min(MAX_RATIO, max(0.55, math.exp(rng.gauss(mu, SIGMA))))


def _calibrate(ratios: dict[str, float], mean: float, *, pin_max: bool) -> dict[str, float]:
    """Scale the drawn ratios so their mean is exactly `mean` (and, when asked, the largest is MAX_RATIO)."""
    if not ratios:
        return ratios
    out = dict(ratios)
    pinned = max(out, key=lambda c: (out[c], c)) if pin_max and len(out) > 1 else None
    if pinned is not None:
        out[pinned] = MAX_RATIO
    rest = [c for c in out if c != pinned]
    target = mean * len(out) - (MAX_RATIO if pinned else 0.0)
    current = sum(out[c] for c in rest)
    if rest and current > 0:
        for c in rest:
            out[c] = min(MAX_RATIO, out[c] * target / current)
    return out


def _split(total: int, weights: Sequence[float]) -> list[int]:
    amounts = [int(total * w) for w in weights]
    amounts[0] += total - sum(amounts)
    return amounts


def generate(orgs: Sequence[Org], first_month: date, *, seed: int = 0) -> SampleCosts:
    rng = random.Random(f"costs:{seed}")
    chosen = [
        o for o in sorted(orgs, key=lambda o: o.code) if o.code in ALWAYS or rng.random() < KIND_SHARE.get(o.kind, 0)
    ]
    drawn = {o.code: _lognormal(rng, POST_MEAN.get(o.kind, DEFAULT_POST_MEAN)) for o in chosen}
    post: dict[str, float] = {}
    for kind in {o.kind for o in chosen}:
        group = {o.code: drawn[o.code] for o in chosen if o.kind == kind}
        post |= _calibrate(group, POST_MEAN.get(kind, DEFAULT_POST_MEAN), pin_max=kind == "中核市")
    sample = SampleCosts(post_ratio=post)
    for o in chosen:
        baseline = round(KIND_SCALE.get(o.kind, 100_000) * math.exp(rng.gauss(0.0, 0.35)))
        migrated = 2023 if rng.random() < 0.3 else 2024
        per_system = o.code == "042021" or rng.random() < 0.03
        for fy in range(BASELINE_YEAR, LAST_YEAR + 1):
            drift = 1.0 if fy == BASELINE_YEAR else 1 + 0.012 * (fy - BASELINE_YEAR) + rng.gauss(0.0, 0.03)
            if fy < migrated:
                r, weight = drift, 0.0
            elif fy == migrated:
                r, weight = drift + 0.55 * (post[o.code] - drift), 0.55
            else:
                r, weight = (post[o.code] if fy == LAST_YEAR else post[o.code] * (1 + rng.gauss(0.0, 0.03))), 1.0
            total = round(baseline * r)
            split = [
                (p + weight * (q - p)) * (1 + rng.gauss(0.0, 0.15)) for p, q in zip(PRE_SPLIT, POST_SPLIT, strict=True)
            ]
            split = [max(0.0, w) / sum(max(0.0, v) for v in split) for w in split]
            amounts = _split(total, split)
            lines = [(k, "", a) for k, a in zip(CATEGORY_KEYS, amounts, strict=True) if a > 0 or k == "system_usage"]
            if per_system and fy == LAST_YEAR:
                lines = _per_system(lines)
            comment = rng.choice(COMMENTS) if fy >= migrated and rng.random() < 0.15 else ""
            sample.years.append(SampleYear(o.code, fy, report_month(fy, first_month), lines, comment))
    return sample


def _per_system(lines: list[tuple[str, str, int]]) -> list[tuple[str, str, int]]:
    """システム利用料・保守 split over a few businesses; what is left stays with the 団体 as a whole."""
    out = []
    for category, system, amount in lines:
        if category != "system_usage":
            out.append((category, system, amount))
            continue
        part = amount // (len(PER_SYSTEM) + 2)
        out += [(category, name, part) for name in PER_SYSTEM]
        out.append((category, "", amount - part * len(PER_SYSTEM)))
    return out


def load_sample(*, seed: int = 0, prefectures: Collection[str] | None = None) -> int:
    """Replace all cost data with the fictional sample and compute the cost and cloud rollups; returns the number
    of reports. Called inside shinchoku.sample.loader.load_sample's transaction (`shinchoku demo`)."""
    from django.db import transaction

    from shinchoku.progress.models import Month
    from shinchoku.reference.lookup import sample_organizations

    from . import cloud, rollups
    from .models import CloudRollup, CostLine, CostReport, CostRollup

    months = list(Month.objects.filter(sample_data=True).order_by("as_of").values_list("as_of", flat=True))
    if not months:
        return 0
    orgs = [Org(code, kind) for code, kind in sample_organizations(prefectures).values_list("code", "kind")]
    sample = generate(orgs, months[0], seed=seed)
    years = [y for y in sample.years if y.as_of <= months[-1]]
    with transaction.atomic():
        for model in (CloudRollup, CostRollup, CostLine, CostReport):
            model.objects.all().delete()
        reports = CostReport.objects.bulk_create(
            [
                CostReport(
                    organization_id=y.org,
                    fiscal_year=y.fiscal_year,
                    as_of=y.as_of,
                    total=y.total,
                    comment=y.comment,
                    updated_by="demo",
                    source="demo",
                )
                for y in years
            ],
            batch_size=2000,
        )
        CostLine.objects.bulk_create(
            [
                CostLine(report_id=r.pk, category=c, system=system, amount=a)
                for r, y in zip(reports, years, strict=True)
                for c, system, a in y.lines
            ],
            batch_size=5000,
        )
        rollups.refresh_all()
        cloud.refresh_all()
    return len(reports)
