"""The area endpoints of the API in their documented shapes (prefecture list, business and step summaries)."""

from __future__ import annotations

from datetime import date

from shinchoku.domain.codes import prefecture_org_code
from shinchoku.domain.kinds import PREFECTURE
from shinchoku.domain.progress import NATIONAL_STEPS
from shinchoku.publication.months import NotFound
from shinchoku.reference.models import Business, NationalStep

from ..models import AreaRollup, OrganizationRollup
from .areas import SUMMARY_FIELDS, area
from .common import prefecture_names, rounded
from .months import is_sample

# The fields of a prefecture in the API's prefecture list (schemas_areas.AreaFigures): the summary's figures
# without the split into systems with steps and rate-only systems.
AREA_FIELDS = tuple(f for f in SUMMARY_FIELDS if f not in ("systems_with_steps", "rate_only_systems"))


SYSTEM_FIELDS = (
    "systems",
    "completed",
    "in_progress",
    "not_started",
    "not_applicable",
    "completion_rate",
    "progress_rate",
    "systems_in_operation",
    "on_schedule_systems",
    "on_schedule_share",
    "special_support_systems",
    "systems_with_steps",
    "rate_only_systems",
)


def business_list() -> list[dict]:
    return [
        {
            "number": b.number,
            "name": b.name,
            "aliases": b.alias_list,
            "ministry": b.ministry,
            "field": b.field,
            "prefecture_also": b.prefecture_also,
        }
        for b in Business.objects.order_by("number")
    ]


def prefecture_list(*, as_of: date) -> dict:
    names = prefecture_names()
    areas = dict(AreaRollup.objects.filter(as_of=as_of, scope__startswith="pref:").values_list("scope", "data"))
    own = dict(
        OrganizationRollup.objects.filter(as_of=as_of, organization__kind=PREFECTURE).values_list(
            "organization__prefecture_code", "completion_rate"
        )
    )
    items = []
    for pref, name in sorted(names.items()):
        code = prefecture_org_code(pref)
        data = areas.get(f"pref:{pref}") or {}
        item: dict = {"code": pref, "organization_code": code, "name": name}
        item.update({k: rounded(data.get(k)) for k in AREA_FIELDS})
        item["own_completion_rate"] = rounded(own.get(pref))
        items.append(item)
    return {"as_of": as_of, "sample_data": is_sample(as_of), "prefectures": items}


RATE_FIELDS = frozenset({"completion_rate", "progress_rate", "on_schedule_share"})


def _system_figures(data: dict) -> dict:
    out = {k: rounded(data.get(k, None if k in RATE_FIELDS else 0)) for k in SYSTEM_FIELDS}
    if "systems_with_steps" not in data:  # rollups computed before rate-only data existed
        out["systems_with_steps"], out["rate_only_systems"] = out["systems"], 0
    return out


def business_summary(*, number: int, as_of: date) -> dict:
    business = Business.objects.filter(number=number).first()
    if business is None:
        raise NotFound(f"業務番号 {number} は見つかりません（1〜20 で指定してください）")
    data = area(f"business:{number}", as_of) or {}
    names = prefecture_names()
    out: dict = {"as_of": as_of, "sample_data": is_sample(as_of), "number": number, "name": business.name}
    out.update(_system_figures(data))
    out["by_prefecture"] = [
        {"code": pref, "name": names.get(pref, ""), **_system_figures(figures)}
        for pref, figures in sorted((data.get("by_prefecture") or {}).items())
    ]
    own = data.get("prefectures_own")
    out["prefectures_own"] = _system_figures(own) if own else None
    return out


def _share(n: int, total: int) -> float | None:
    return round(n / total, 6) if total else None


def steps_summary(*, as_of: date, prefecture: str | None = None) -> dict:
    names = prefecture_names()
    if prefecture is not None and prefecture not in names:
        raise NotFound(f"都道府県コード {prefecture} は見つかりません")
    data = area("steps", as_of) or {}
    counts = (data.get("by_prefecture") or {}).get(prefecture) if prefecture else data.get("nation")
    if not counts:
        counts = [[0, 0, 0, 0] for _ in range(NATIONAL_STEPS)]
    # every municipal system has all 40 steps, so any step's four counts add up to the number of systems
    systems = sum(counts[0])
    steps = []
    for s, (c, p, n, x) in zip(NationalStep.objects.order_by("number"), counts, strict=False):
        steps.append(
            {
                "step": s.number,
                "item_number": s.item_number,
                "name": s.name,
                "phase": s.phase,
                "deadline": s.deadline,
                "completed": c,
                "in_progress": p,
                "not_started": n,
                "not_applicable": x,
                "completed_share": _share(c, systems),
                "done_share": _share(c + x, systems),
            }
        )
    return {
        "as_of": as_of,
        "sample_data": is_sample(as_of),
        "prefecture": prefecture,
        "prefecture_name": names[prefecture] if prefecture else None,
        "systems": systems,
        "steps": steps,
    }
