"""Operating costs in plain Python: the categories, reading 年度 and 金額 cells, the ratio to the FY2018
baseline, and the published reference figures. No database here (unit-tested on its own).

The national target (デジタル庁「地方公共団体情報システム標準化基本方針」): the operating cost of the standardised
systems at least 30% below FY2018 (平成30年度), i.e. a ratio to the baseline of 0.7 or less.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from statistics import median

__all__ = [
    "BASELINE_YEAR",
    "BINS",
    "CATEGORIES",
    "REFERENCE_LINES",
    "TARGET_RATIO",
    "AmountError",
    "Category",
    "FiscalYearError",
    "Group",
    "ReferenceLine",
    "bin_index",
    "category_of",
    "parse_amount",
    "parse_fiscal_year",
    "ratio",
    "summarize",
]

BASELINE_YEAR = 2018  # 平成30年度
TARGET_RATIO = 0.7  # 3割削減
MAX_AMOUNT = 10**10  # 千円 (10兆円): anything larger is a typo


@dataclass(frozen=True)
class Category:
    key: str  # English key of the API and JSON
    label: str  # Japanese name of CSV cells, pages and files
    aliases: tuple[str, ...] = ()


CATEGORIES: tuple[Category, ...] = (
    Category(
        "system_usage",
        "システム利用料・保守",
        ("システム利用料", "保守", "保守料", "システム利用料及び保守", "システム利用料等", "利用料・保守"),
    ),
    Category(
        "gov_cloud",
        "ガバメントクラウド利用料",
        ("ガバメントクラウド", "ガバクラ", "ガバクラ利用料", "クラウド利用料", "ガバメントクラウド利用料等"),
    ),
    Category("network", "回線費", ("回線", "回線料", "通信費", "ネットワーク", "回線・通信費")),
    Category("operations", "運用支援・その他", ("運用支援", "その他", "運用支援等", "運用支援及びその他")),
)
CATEGORY_KEYS = tuple(c.key for c in CATEGORIES)
CATEGORY_LABELS = {c.key: c.label for c in CATEGORIES}


def _fold(text: object) -> str:
    """A comparison key: width and spacing folded, 「・」 and 「及び」 ignored."""
    folded = unicodedata.normalize("NFKC", "" if text is None else str(text))
    for mark in (" ", "\u3000", "・", "･", "/", "／", "、", ",", "及び", "および", "(", ")", "（", "）"):
        folded = folded.replace(mark, "")
    return folded.lower()


_CATEGORY_INDEX = {_fold(name): c for c in CATEGORIES for name in (c.label, c.key, *c.aliases)}


def category_of(text: object) -> Category | None:
    """The category a cell names (its name, an alias or the English key), else None."""
    return _CATEGORY_INDEX.get(_fold(text))


class FiscalYearError(ValueError):
    """A 年度 that cannot be read or is out of range; str(e) is shown to users as is."""


_ERA_START = {"令和": 2018, "R": 2018, "平成": 1988, "H": 1988, "昭和": 1925, "S": 1925}
_ERA_YEARS = {"令和": 99, "R": 99, "平成": 31, "H": 31, "昭和": 64, "S": 64}
_ERA_NAMES = {"R": "令和", "H": "平成", "S": "昭和"}
_WAREKI_FY = re.compile(r"(令和|平成|昭和|R|H|S)(元|\d{1,2})(?:年度?)?")
_WESTERN_FY = re.compile(r"(?:FY)?(\d{4})(?:年度?)?")
YEAR_EXAMPLES = "2018、2018年度、平成30年度、H30、令和6年度、R6"


def parse_fiscal_year(value: object, *, latest: int | None = None) -> int:
    """The 年度 of a cell as its first calendar year (平成30年度 → 2018, R6年度 → 2024).

    Accepts 2018, 2018年度, FY2018, 平成30年度, H30, 令和元年度, R6年度 (full-width too) and Excel numbers.
    Refuses years before the FY2018 baseline and, when `latest` is given, years after it.
    """
    if isinstance(value, bool):
        raise FiscalYearError(f"年度を読み取れません: {value}（例: {YEAR_EXAMPLES}）")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = unicodedata.normalize("NFKC", "" if value is None else str(value))
    text = "".join(text.split()).upper().replace("令和元", "令和1").replace("平成元", "平成1")
    if re.fullmatch(r"\d{4}\.0+", text):  # a number cell saved as text by a spreadsheet
        text = text.split(".")[0]
    if not text:
        raise FiscalYearError(f"年度が空欄です（例: {YEAR_EXAMPLES}）")
    year: int | None = None
    western = _WESTERN_FY.fullmatch(text)
    wareki = _WAREKI_FY.fullmatch(text)
    if western:
        year = int(western.group(1))
    elif wareki:
        era, number = wareki.group(1), wareki.group(2)
        n = 1 if number == "元" else int(number)
        name = _ERA_NAMES.get(era, era)
        if not 1 <= n <= _ERA_YEARS[era]:
            raise FiscalYearError(f"{name}{n}年度はありません: {value}")
        year = _ERA_START[era] + n
    if year is None:
        raise FiscalYearError(f"年度を読み取れません: {value}（例: {YEAR_EXAMPLES}）")
    if year < BASELINE_YEAR:
        raise FiscalYearError(
            f"{year}年度は基準年度より前です。運用経費は平成30年度（2018年度）以降を入力してください: {value}"
        )
    if latest is not None and year > latest:
        raise FiscalYearError(f"{year}年度はまだ始まっていません（{latest}年度まで入力できます）: {value}")
    return year


class AmountError(ValueError):
    """An amount that cannot be read, is negative or is not whole 千円; str(e) is shown to users as is."""


_AMOUNT = re.compile(r"\d+(?:\.\d+)?")


def parse_amount(value: object) -> int | None:
    """An amount in 千円 as an int; None for an empty cell (not reported).

    Accepts 1234, 1,234, 「1,234千円」, full-width digits and Excel numbers; refuses negative amounts (also
    written △ or ▲), fractions of 千円 and text.
    """
    if value is None or isinstance(value, bool):
        if isinstance(value, bool):
            raise AmountError(f"金額を読み取れません: {value}")
        return None
    if isinstance(value, int):
        number: float = value
    elif isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            raise AmountError(f"金額を読み取れません: {value}")
        number = value
    else:
        text = "".join(unicodedata.normalize("NFKC", str(value)).split()).replace(",", "")
        if text.endswith("千円"):
            text = text[:-2]
        if not text:
            return None
        negative = text[0] in "-−△▲"
        if negative:
            raise AmountError(f"金額がマイナスです。0以上の金額（千円）を入力してください: {value}")
        if text.endswith("円"):
            raise AmountError(f"金額は千円単位の数字で入力してください（「円」ではなく千円）: {value}")
        if not _AMOUNT.fullmatch(text):
            raise AmountError(f"金額を数字として読み取れません（千円単位の整数）: {value}")
        number = float(text) if "." in text else int(text)
    if number < 0:
        raise AmountError(f"金額がマイナスです。0以上の金額（千円）を入力してください: {value}")
    if isinstance(number, float):
        if not number.is_integer():
            raise AmountError(f"金額は千円単位の整数で入力してください（小数は使えません）: {value}")
        number = int(number)
    if number > MAX_AMOUNT:
        raise AmountError(f"金額が大きすぎます（千円単位で入力してください）: {value}")
    return int(number)


def ratio(total: int | None, baseline: int | None) -> float | None:
    """A year's total ÷ the FY2018 total, rounded to 4 places; None without a positive baseline."""
    if total is None or not baseline:
        return None
    return round(total / baseline, 4)


@dataclass(frozen=True)
class ReferenceLine:
    key: str
    ratio: float
    label: str
    source: str


REFERENCE_LINES: tuple[ReferenceLine, ...] = (
    ReferenceLine(
        "target",
        TARGET_RATIO,
        "国の目標（平成30年度比で少なくとも3割削減）",
        "デジタル庁「地方公共団体情報システム標準化基本方針」",
    ),
    ReferenceLine("tokyo", 1.6, "東京都の試算（標準化後の運用経費）", "東京都による試算（移行前との比較）"),
    ReferenceLine(
        "chukakushi_mean",
        2.3,
        "中核市市長会の調査：平均",
        "中核市市長会の調査（2025年1月）：移行後の運用経費は移行前の平均2.3倍",
    ),
    ReferenceLine(
        "chukakushi_max",
        5.7,
        "中核市市長会の調査：最大",
        "中核市市長会の調査（2025年1月）：最大5.7倍",
    ),
)

# Ratio classes of the distribution: (label, upper bound inclusive; None = no bound)
BINS: tuple[tuple[str, float | None], ...] = (
    ("0.7倍以下（目標達成）", 0.7),
    ("0.7倍超〜1.0倍", 1.0),
    ("1.0倍超〜1.5倍", 1.5),
    ("1.5倍超〜2.0倍", 2.0),
    ("2.0倍超〜3.0倍", 3.0),
    ("3.0倍超", None),
)


def bin_index(value: float) -> int:
    for i, (_label, upper) in enumerate(BINS):
        if upper is None or value <= upper:
            return i
    return len(BINS) - 1


@dataclass(frozen=True)
class Group:
    """The figures of a set of 団体 for one 年度: only 団体 with both that year and the baseline count."""

    organizations: int
    mean_ratio: float | None
    median_ratio: float | None
    weighted_ratio: float | None  # Σ that year ÷ Σ baseline
    min_ratio: float | None
    max_ratio: float | None
    met_target: int  # ratio ≤ 0.7
    above_baseline: int  # ratio > 1.0
    total: int
    baseline_total: int
    by_category: dict[str, int]
    distribution: tuple[int, ...]

    @property
    def met_target_share(self) -> float | None:
        return round(self.met_target / self.organizations, 6) if self.organizations else None

    def as_dict(self) -> dict:
        """The stored form (JSON): every field in order, the share after met_target, lists for tuples."""
        out: dict = {}
        for f in fields(self):
            value = getattr(self, f.name)
            out[f.name] = dict(value) if isinstance(value, dict) else list(value) if isinstance(value, tuple) else value
            if f.name == "met_target":
                out["met_target_share"] = self.met_target_share
        return out


def summarize(items: Iterable[tuple[int, int, Mapping[str, int]]]) -> Group:
    """Figures over (total, baseline, by_category) of the 団体 that reported the year and a positive baseline."""
    ratios: list[float] = []
    total = baseline = 0
    categories = dict.fromkeys(CATEGORY_KEYS, 0)
    counts = [0] * len(BINS)
    for year_total, base, by_category in items:
        r = ratio(year_total, base)
        if r is None:
            continue
        ratios.append(r)
        total += year_total
        baseline += base
        for key, amount in by_category.items():
            categories[key] = categories.get(key, 0) + amount
        counts[bin_index(r)] += 1
    return Group(
        organizations=len(ratios),
        mean_ratio=round(sum(ratios) / len(ratios), 4) if ratios else None,
        median_ratio=round(median(ratios), 4) if ratios else None,
        weighted_ratio=ratio(total, baseline) if ratios else None,
        min_ratio=min(ratios) if ratios else None,
        max_ratio=max(ratios) if ratios else None,
        met_target=sum(1 for r in ratios if r <= TARGET_RATIO),
        above_baseline=sum(1 for r in ratios if r > 1.0),
        total=total,
        baseline_total=baseline,
        by_category=categories,
        distribution=tuple(counts),
    )


def group_from_dict(data: dict) -> Group:
    """A Group from its stored form (as_dict)."""
    values = {f.name: data[f.name] for f in fields(Group)}
    return Group(**{**values, "by_category": dict(data["by_category"]), "distribution": tuple(data["distribution"])})


def category_totals(lines: Sequence[tuple[str, int]]) -> dict[str, int]:
    """{category key: Σ amount} over (category key, amount) lines, every category present."""
    out = dict.fromkeys(CATEGORY_KEYS, 0)
    for key, amount in lines:
        out[key] = out.get(key, 0) + amount
    return out
