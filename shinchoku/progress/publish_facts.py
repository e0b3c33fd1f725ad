"""What publishing a month would make public, for the operator's confirmation: how many 団体 reported for it,
how many cells differ from the month before, the regressions among them (完了済み → 作業中/未着手), and the
late systems without a delay explanation. Practice data is left out."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from shinchoku.domain.kinds import PREFECTURE
from shinchoku.reference.models import NationalStep, Organization

from .followup import followup, latest_snapshots, months_before
from .models import StatusSnapshot

BULK_IDS = 5000  # above this many systems, read every system's previous snapshot instead of a list of ids


@dataclass(frozen=True)
class Regression:
    organization: str
    system: str
    step: str
    new_label: str


@dataclass
class PublishFacts:
    as_of: date
    organizations_reported: int = 0
    organizations_total: int = 0
    cells_changed: int = 0
    regressions: list[Regression] = field(default_factory=list)
    late_without_explanation: int = 0


def publish_facts(as_of: date) -> PublishFacts:
    facts = PublishFacts(as_of)
    facts.organizations_total = Organization.objects.filter(is_practice=False).exclude(kind=PREFECTURE).count()
    rows = list(
        StatusSnapshot.objects.filter(as_of=as_of, system__organization__is_practice=False).values_list(
            "system_id", "codes", "system__organization_id", "system__organization__name", "system__name"
        )
    )
    facts.organizations_reported = len({r[2] for r in rows})
    ids = [r[0] for r in rows]
    before = latest_snapshots(ids if len(ids) <= BULK_IDS else None, months_before(as_of, 1))
    labels = dict(NationalStep.objects.values_list("number", "item_number"))
    for sid, codes, _code, org_name, name in rows:
        old = before.get(sid, (None, "", None))[1]
        if not codes or not old:
            continue  # a month known by its rate only, or a first report: no cell-by-cell change to show
        for i, (a, b) in enumerate(zip(old, codes, strict=False), start=1):
            if a == b:
                continue
            facts.cells_changed += 1
            if a == "C" and b in "PN":
                facts.regressions.append(
                    Regression(org_name, name, labels.get(i, str(i)), "作業中" if b == "P" else "未着手")
                )
    facts.late_without_explanation = sum(len(r.late_unexplained) for r in followup(pref=None, as_of=as_of))
    return facts
