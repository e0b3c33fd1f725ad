"""Shared helpers of the staff, permission and security tests (no tests here).

The 団体 used: A 石巻市 and B 仙台市 (宮城県, 04), P 宮城県 itself, C 千代田区 (東京都, other prefecture).
"""

from __future__ import annotations

import hashlib
from datetime import date

from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from shinchoku.accounts.models import AuditEntry, StaffProfile
from shinchoku.imports.models import ImportRecord
from shinchoku.progress.models import DelayExplanation, StatusChange, System
from shinchoku.reference.models import Organization

A, B, P, C = "042021", "041009", "040002", "131016"
LATEST = date(2026, 10, 31)
PASSWORD = "correct-horse-battery-staple-42"


def make_user(name: str, role: str, org: str | None = None, *, munis: bool = False, password: bool = True) -> User:
    user = User.objects.create_user(username=name, password=PASSWORD if password else None)
    StaffProfile.objects.create(
        user=user,
        role=role,
        organization=Organization.objects.get(code=org) if org else None,
        edits_municipalities=munis,
    )
    return user


def system_of(code: str) -> System:
    return System.objects.filter(organization_id=code, business__isnull=False).order_by("sort_order").first()  # type: ignore[return-value]


def watched_models() -> list:
    """The tables a write path may change (progress data, rollups, costs, audit and accounts' roles)."""
    from shinchoku.costs.models import CloudRollup, CostLine, CostReport, CostRollup
    from shinchoku.progress.models import (
        AreaRollup,
        Month,
        OrganizationRollup,
        OwnStep,
        StatusSnapshot,
        SystemAttributes,
    )

    return [
        System,
        OwnStep,
        StatusSnapshot,
        SystemAttributes,
        StatusChange,
        DelayExplanation,
        ImportRecord,
        AuditEntry,
        StaffProfile,
        OrganizationRollup,
        AreaRollup,
        CostReport,
        CostLine,
        CostRollup,
        CloudRollup,
        Month,
    ]


def state() -> str:
    """Everything a write path may change, as one fingerprint: the rows of the test 団体 in full, and the
    size, last id and last change of every table a write touches (a full digest of the national sample
    costs a second per call, too slow for a matrix of 250 cases). Read as plain rows: model fields'
    converters took most of its time. (The permission matrix counts writes with triggers instead:
    tests/integration/writecount.py.)"""
    from shinchoku.costs.models import CostLine, CostReport
    from shinchoku.progress.models import Month, OwnStep, StatusSnapshot, SystemAttributes

    orgs = ", ".join(f"'{code}'" for code in (A, B, C, P, "999997"))
    systems = f"SELECT id FROM {System._meta.db_table} WHERE organization_id IN ({orgs})"
    reports = f"SELECT id FROM {CostReport._meta.db_table} WHERE organization_id IN ({orgs})"
    rows = [
        (System, f"organization_id IN ({orgs})"),
        (OwnStep, f"organization_id IN ({orgs})"),
        (StatusSnapshot, f"system_id IN ({systems})"),
        (SystemAttributes, f"system_id IN ({systems})"),
        (DelayExplanation, f"system_id IN ({systems})"),
        (Month, "1 = 1"),
        (CostReport, f"organization_id IN ({orgs})"),
        (CostLine, f"report_id IN ({reports})"),
    ]
    h = hashlib.sha256()
    with connection.cursor() as cur:
        for model, where in rows:
            cur.execute(f"SELECT * FROM {model._meta.db_table} WHERE {where} ORDER BY {model._meta.pk.column}")
            h.update(repr(cur.fetchall()).encode())
        cur.execute(_table_sizes(watched_models()))
        h.update(repr(cur.fetchall()).encode())
    return h.hexdigest()


def _table_sizes(models: list) -> str:
    """A query whose answer moves when rows of these tables are added or removed: each table's size and last
    id, and the statuses' last change. (PostgreSQL's per-transaction counters of inserted and deleted rows would
    read no table, but they also count rows that a rolled-back savepoint wrote: a write refused after it started
    would look like a change.)"""
    sizes = ", ".join(
        f"(SELECT count(*) FROM {m._meta.db_table}), (SELECT max({m._meta.pk.column}) FROM {m._meta.db_table})"
        for m in models
    )
    return f"SELECT {sizes}, (SELECT max(updated_at) FROM progress_statussnapshot)"


def long_csv(code: str, system: str, step: str = "1", status: str = "完了済み", as_of: str = "2026-10-31") -> bytes:
    header = "全国地方公共団体コード,対象システム,作業ステップ,状態,基準日"
    return f"{header}\n{code},{system},{step},{status},{as_of}\n".encode()


def cell_post(system: System, step: str, status: str, version: int, original: str = "not_started") -> dict:
    f = f"{system.pk}-{step}"
    return {f"s-{f}": status, f"v-{f}": str(version), f"o-{f}": original}


def not_applicable_report(code: str, step: str) -> SimpleUploadedFile:
    """An uploaded long-format CSV that marks step `step` of the 団体's first system 対象外."""
    return SimpleUploadedFile("r.csv", long_csv(code, system_of(code).name, step, "対象外"), content_type="text/csv")


def delay_form(reason: str) -> dict:
    """A delay explanation's form with no schedule rows and no role rows."""
    return {
        "department": "総務課",
        "expected_completion": "2027年3月",
        "reason": reason,
        "impact": "no",
        "schedule-TOTAL_FORMS": "0",
        "schedule-INITIAL_FORMS": "0",
        "roles-TOTAL_FORMS": "0",
        "roles-INITIAL_FORMS": "0",
    }
