"""Build a ParseContext from the database (the operator may have edited the reference data)."""

from __future__ import annotations

from datetime import date

from shinchoku.reference.lookup import known_codes, name_index
from shinchoku.reference.models import Business, NationalStep

from .context import ParseContext, business_lookup, business_name_map, step_heading_lookup


def database_context(
    *, filename: str, as_of: date | None = None, org: str | None = None, include_practice: bool = False
) -> ParseContext:
    businesses = [
        {"業務番号": b.number, "業務名": b.name, "別名": b.aliases} for b in Business.objects.order_by("number")
    ]
    steps = [
        {"ステップ番号": s.number, "作業項目番号": s.item_number, "作業ステップ名": s.name}
        for s in NationalStep.objects.order_by("number")
    ]
    return ParseContext(
        filename=filename,
        name_index=name_index(),
        known_codes=known_codes(include_practice=include_practice),
        businesses=business_lookup(businesses),
        business_names=business_name_map(businesses),
        step_headings=step_heading_lookup(steps),
        as_of=as_of,
        org=org,
    )
