"""Fictional national sample data (架空のサンプルデータ), deterministic for a seed.

Calibrated to published figures (shinchoku/reference/data/README.md and official/): national mean 完了率 about 0.62 at
2025-05 and about 0.82 at 2026-01, about 935 団体 with 特定移行支援 systems including all 20
政令指定都市, prefectures ahead of and behind each other. Nothing here is real data.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from collections.abc import Iterator
from datetime import date

from shinchoku.domain.calendar import month_end, month_range
from shinchoku.domain.kinds import PREFECTURE

from . import outlook_scenarios
from .records import OrgSpec, SampleData, SystemSample

FIRST_MONTH = date(2023, 4, 30)
LAST_MONTH = date(2026, 10, 31)
SPECIAL_SUPPORT_ORGANIZATIONS = 935
PREFECTURE_BUSINESSES = (12, 15)  # 児童扶養手当, 生活保護
PROPERTY_TAX = 7
WELFARE = 15
# Baseline month (0 = 2023-04) by which a typical system completes each step, following the national order.
BASE_SCHEDULE = [i + 0.5 for i in range(1, 41)]
NATIONAL_SHIFT = -0.8  # months added to every system's schedule (calibration knob)
DEADLINE_INDEX = 35.0  # 2026-03: systems that are not 特定移行支援 finish by about then
# Steps that some systems mark 対象外 (probability): non-standard RFI, 条例改正, PIA, equipment.
NOT_APPLICABLE_ODDS = {16: 0.35, 39: 0.3, 30: 0.1, 37: 0.15, 38: 0.1, 11: 0.05}
VENDORS = [
    ("みらい情報システム（架空）", "みらい標準"),
    ("さくら電算サービス（架空）", "さくらクラウド行政"),
    ("あおば計算センター（架空）", "あおば共通基盤"),
    ("ひかりソリューションズ（架空）", "ひかり自治体パッケージ"),
    ("つばさ行政ネット（架空）", "つばさ標準準拠"),
    ("やまなみシステム開発（架空）", "やまなみ基幹"),
]
OWN_STEP_NAMES = ["庁内説明会の開催", "住民向け周知", "旧システムのデータ消去確認", "移行後の運用評価"]
EXTRA_SYSTEMS = ["統合収納管理", "統合滞納管理"]
DEPARTMENTS = {
    1: "市民課",
    2: "市民課",
    3: "市民課",
    4: "選挙管理委員会事務局",
    5: "税務課",
    6: "税務課",
    7: "資産税課",
    8: "税務課",
    9: "市民課",
    10: "学校教育課",
    11: "健康推進課",
    12: "子育て支援課",
    13: "子育て支援課",
    14: "保育課",
    15: "生活福祉課",
    16: "障害福祉課",
    17: "介護保険課",
    18: "保険年金課",
    19: "保険年金課",
    20: "保険年金課",
}
DELAY_REASONS = [
    "事業者の開発体制が逼迫し、標準準拠システムの提供時期が後ろ倒しになったため。",
    "データ移行の検証で文字の同定に想定以上の時間を要しているため。",
    "ガバメントクラウドへの接続環境の構築に時間を要しているため。",
    "関連する他システムとの連携仕様の確定が遅れているため。",
]


def _months() -> list[date]:
    return month_range(FIRST_MONTH, LAST_MONTH)


def _system_businesses(org: OrgSpec, rng: random.Random) -> list[int]:
    if org.kind == PREFECTURE:
        return list(PREFECTURE_BUSINESSES)
    numbers = list(range(1, 21))
    if org.kind == "特別区":
        numbers.remove(PROPERTY_TAX)  # 固定資産税 in the 23 wards is levied by 東京都
    elif org.kind in ("町", "村") and rng.random() < 0.22:
        numbers.remove(WELFARE)  # towns without a welfare office do not run 生活保護
    return numbers


def _special_orgs(orgs: list[OrgSpec], rng: random.Random) -> dict[str, date]:
    """Pick exactly SPECIAL_SUPPORT_ORGANIZATIONS 団体 (all 政令指定都市) and the month each was designated."""
    # every 政令指定都市 first (all 20 said FY2025 was 「難易度が極めて高い」), then a weighted draw of the rest
    weight = {"政令指定都市": 100.0, "中核市": 0.85, "特別区": 0.85, "市": 0.6, "町": 0.5, "村": 0.4}
    scored = sorted(
        (
            (weight.get(o.kind, 0.0) if o.kind == "政令指定都市" else rng.random() * weight.get(o.kind, 0.0), o.code)
            for o in orgs
            if o.kind != PREFECTURE
        ),
        reverse=True,
    )
    chosen = [code for _, code in scored[:SPECIAL_SUPPORT_ORGANIZATIONS]]
    since: dict[str, date] = {}
    for i, code in enumerate(chosen):  # 643 by 2025-07, 743 by 2025-10, 935 by 2025-12 (デジタル庁)
        since[code] = date(2025, 7, 31) if i < 643 else date(2025, 10, 31) if i < 743 else date(2025, 12, 31)
    return since


def _history(
    months: list[date],
    done_at: list[float],
    starts: list[float],
    na: set[int],
    own_done: list[float],
    own_start: list[float],
) -> list[tuple[date, str, str]]:
    """Statuses month by month, kept only where something changed (a month-ordered event replay)."""
    n = len(done_at)
    events: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for i, (d, s) in enumerate(zip(done_at + own_done, starts + own_start, strict=True)):
        applicable = not (i < n and i + 1 in na)
        events[max(0, math.ceil(s))].append((i, "P" if applicable else "X"))
        events[max(0, math.ceil(d))].append((i, "C" if applicable else "X"))
    cells = ["N"] * (n + len(own_done))
    history: list[tuple[date, str, str]] = []
    last = ""
    for t, m in enumerate(months):
        todo = events.get(t)
        if todo:
            for i, c in sorted(todo, key=lambda e: e[1] == "C"):  # completion wins over start in the same month
                cells[i] = c
        if todo or not history:
            joined = "".join(cells)
            if joined != last:
                history.append((m, joined[:n], joined[n:]))
                last = joined
    return history


def generate(orgs: list[OrgSpec], *, seed: int = 0) -> SampleData:
    rng = random.Random(seed)
    months = _months()
    pref_offset = {p: rng.gauss(0.0, 2.6) for p in sorted({o.prefecture_code for o in orgs})}
    special = _special_orgs(orgs, rng)
    own_orgs = {"042021"} | {o.code for o in rng.sample([o for o in orgs if o.kind != PREFECTURE], 8)}
    systems: list[SystemSample] = []
    own_steps: dict[str, list[str]] = {}
    for org in orgs:
        org_lag = pref_offset[org.prefecture_code] + rng.gauss(0.0, 2.2)
        if org.kind == "政令指定都市":
            org_lag += 2.0
        vendor, package = VENDORS[rng.randrange(len(VENDORS))]
        names: list[tuple[str, int | None]] = [("", b) for b in _system_businesses(org, rng)]
        n_own = 0
        if org.code in own_orgs:
            names += [(x, None) for x in EXTRA_SYSTEMS]
            n_own = 4 if org.code == "042021" else rng.randint(1, 3)
            own_steps[org.code] = OWN_STEP_NAMES[:n_own]
        special_since = special.get(org.code)
        n_special = 0
        if special_since:
            n_special = len(names) if org.kind == "政令指定都市" else max(1, int(rng.triangular(1, len(names), 6)))
        special_idx = set(rng.sample(range(len(names)), n_special)) if n_special else set()
        for idx, (extra_name, business) in enumerate(names):
            sys_special = idx in special_idx
            systems.append(
                _system(
                    org,
                    idx,
                    extra_name,
                    business,
                    org_lag,
                    sys_special,
                    special_since,
                    n_own,
                    months,
                    rng,
                    vendor,
                    package,
                )
            )
    outlook_scenarios.apply(systems, months, seed)  # late tail, regressions, early plans
    cloud_and_vendors(orgs, systems, months, seed=seed)
    return SampleData(months=months, systems=systems, own_steps=own_steps)


# ガバメントクラウドの事業者 (stored keys) by share of 団体, and how many 団体 change vendor at go-live: fictional.
PROVIDER_WEIGHTS = (("aws", 0.80), ("google", 0.07), ("azure", 0.06), ("oracle", 0.05), ("sakura", 0.02))
VENDOR_SWITCH_SHARE = 0.2
OFF_CLOUD_SHARE = 0.05  # systems kept outside the ガバメントクラウド


def cloud_and_vendors(orgs: list[OrgSpec], systems: list[SystemSample], months: list[date], *, seed: int) -> None:
    """Each 団体's ガバメントクラウド provider, and for some 団体 the vendor their systems leave at go-live.

    Drawn from their own random stream, so the rest of the sample is the same as without them.
    """
    rng = random.Random(f"cloud-vendors:{seed}")
    keys, weights = [p for p, _ in PROVIDER_WEIGHTS], [w for _, w in PROVIDER_WEIGHTS]
    provider = {o.code: rng.choices(keys, weights)[0] for o in orgs}
    switching = {o.code for o in orgs if rng.random() < VENDOR_SWITCH_SHARE}
    former = {code: VENDORS[rng.randrange(len(VENDORS))] for code in sorted(switching)}
    for s in systems:
        s.uses_gov_cloud = rng.random() >= OFF_CLOUD_SHARE
        s.cloud_provider = provider[s.org_code] if s.uses_gov_cloud else None
        old = former.get(s.org_code)
        since = s.planned_go_live
        if old is None or old[0] == s.vendor or since is None or not months[0] < since <= months[-1]:
            continue
        s.previous_vendor, s.vendor_since = old, since


def _system(
    org: OrgSpec,
    idx: int,
    extra_name: str,
    business: int | None,
    org_lag: float,
    special: bool,
    special_since: date | None,
    n_own: int,
    months: list[date],
    rng: random.Random,
    vendor: str,
    package: str,
) -> SystemSample:
    lag = org_lag + rng.gauss(0.0, 1.4)
    pace = rng.uniform(0.92, 1.12)
    na = {step for step, odds in NOT_APPLICABLE_ODDS.items() if rng.random() < odds}
    done_at = [max(0.0, b * pace + lag + NATIONAL_SHIFT + rng.gauss(0.0, 0.6)) for b in BASE_SCHEDULE]
    planned_completion = None
    if special:
        fy = rng.choices([2026, 2027, 2028, 2029, 2030], weights=[30, 35, 20, 10, 5])[0]
        planned_completion = month_end(fy + 1, 3)
        stall = rng.randint(26, 35)
        resume = (fy - 2023) * 12 + rng.uniform(-6, 9)
        for i in range(stall, 40):
            done_at[i] = max(done_at[i], resume + (i - stall) * 0.5)
    else:  # late but not designated: the last-minute rush before the original deadline
        finish = DEADLINE_INDEX + rng.uniform(-0.5, 2.0)
        done_at = [min(d, finish - 0.35 * (39 - i)) for i, d in enumerate(done_at)]
    done_at = _monotone(done_at)
    starts = [d - rng.uniform(1.0, 3.5) for d in done_at]
    own_done = [done_at[30 + 2 * k] + 0.5 for k in range(n_own)]
    own_start = [d - 2.0 for d in own_done]
    history = _history(months, done_at, starts, na, own_done, own_start)
    go_live_month = int(done_at[39]) if done_at[39] < 120 else None
    go_live = _month_from_index(go_live_month) if go_live_month is not None else None
    sample = SystemSample(
        org_code=org.code,
        name=extra_name,
        business=business,
        sort_order=idx,
        vendor=vendor if rng.random() < 0.85 else VENDORS[rng.randrange(len(VENDORS))][0],
        package=package,
        special_support=special,
        special_support_since=special_since if special else None,
        planned_completion=planned_completion,
        planned_go_live=go_live,
        history=history,
    )
    if special and rng.random() < 0.35 and business is not None:
        sample.delay = _delay(business, planned_completion, rng)
    return sample


def _monotone(values: list[float]) -> list[float]:
    """Later steps of the same item never finish long before earlier ones (keeps the matrix believable)."""
    out = list(values)
    for i in range(1, len(out)):
        out[i] = max(out[i], out[i - 1] - 1.5)
    return out


def _month_from_index(i: int) -> date:
    y, m = divmod(3 + i, 12)
    return month_end(2023 + y, m + 1)


def _delay(business: int, planned: date | None, rng: random.Random) -> dict:
    year = planned.year if planned else 2027
    return {
        "department": DEPARTMENTS.get(business, "情報政策課"),
        "expected_completion": f"令和{year - 2018}年3月" if planned else "未定",
        "reason": rng.choice(DELAY_REASONS),
        "schedule": [
            {"date": f"{year - 1}-04", "task": "事業者との詳細スケジュール確定", "role": "担当課・情報政策課"},
            {"date": f"{year - 1}-10", "task": "データ移行リハーサル", "role": "事業者・担当課"},
            {"date": f"{year}-01", "task": "本番データ移行・運用開始", "role": "担当課"},
        ],
        "impact": rng.random() < 0.4,
        "impact_reason": "事業者の提供時期に依存するため。",
        "role_matrix": {
            "roles": ["課長", "係長", "係員"],
            "rows": [
                {"task": "スケジュール管理", "marks": {"課長": "◎", "係長": "○", "係員": ""}},
                {"task": "データ検証", "marks": {"課長": "", "係長": "◎", "係員": "○"}},
            ],
        },
    }


def iter_snapshots(data: SampleData) -> Iterator[tuple[int, date, str, str]]:
    for i, s in enumerate(data.systems):
        for m, codes, own in s.history:
            yield i, m, codes, own
