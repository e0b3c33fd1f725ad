"""Public pages and the 団体 API read a fixed, small number of queries, whatever the number of systems.

A 団体 gains 30 reported systems (statuses, attributes, a delay explanation each): the queries of its page,
its progress API, its prefecture's page and the national page stay the same (no query per system).
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shinchoku.api import cache
from shinchoku.progress.models import DelayExplanation, Month, StatusSnapshot, System, SystemAttributes

pytestmark = pytest.mark.django_db

ORG = "041009"  # 仙台市
PREF = "04"
# Upper bounds, well above today's counts (about 35, 9, 15 and 12) but far below one query per system.
PAGES = {
    f"/organizations/{ORG}": 40,
    f"/api/v1/organizations/{ORG}/progress": 12,
    f"/prefectures/{PREF}": 20,
    "/": 16,
}


def _queries(client, url: str) -> int:
    cache.responses.clear()  # the cold path: no rendered answer kept from an earlier request
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured.captured_queries)


def _add_reported_systems(n: int) -> None:
    latest = Month.objects.filter(published=True).order_by("-as_of").values_list("as_of", flat=True).first()
    systems = System.objects.bulk_create(
        [System(organization_id=ORG, name=f"追加システム{i}", business=None, sort_order=200 + i) for i in range(n)]
    )
    StatusSnapshot.objects.bulk_create(
        [StatusSnapshot(system=s, as_of=latest, codes="CPNX" * 10, own_codes="", source="test") for s in systems]
    )
    SystemAttributes.objects.bulk_create(
        [SystemAttributes(system=s, as_of=latest, vendor="架空ベンダー", special_support=True) for s in systems]
    )
    DelayExplanation.objects.bulk_create(
        [
            DelayExplanation(
                system=s, as_of=latest, department="情報政策課", expected_completion="令和8年度", reason="理由"
            )
            for s in systems
        ]
    )


def test_public_pages_read_a_bounded_number_of_queries_whatever_the_number_of_systems(client) -> None:
    before = {url: _queries(client, url) for url in PAGES}
    systems_before = System.objects.filter(organization_id=ORG).count()
    _add_reported_systems(30)
    after = {url: _queries(client, url) for url in PAGES}
    assert System.objects.filter(organization_id=ORG).count() == systems_before + 30
    assert after == before
    for url, bound in PAGES.items():
        assert after[url] <= bound, f"{url}: {after[url]} queries"


def test_the_organization_api_lists_the_added_systems_with_their_statuses(client) -> None:
    _add_reported_systems(3)
    cache.responses.clear()
    data = client.get(f"/api/v1/organizations/{ORG}/progress").json()
    added = [s for s in data["systems"] if s["name"].startswith("追加システム")]
    assert [s["name"] for s in added] == ["追加システム0", "追加システム1", "追加システム2"]
    first = added[0]
    assert [st["status"] for st in first["steps"][:4]] == ["completed", "in_progress", "not_started", "not_applicable"]
    assert first["counts"] == {"completed": 10, "in_progress": 10, "not_started": 10, "not_applicable": 10}
    assert first["special_support"] is True and first["vendor"] == "架空ベンダー"
    assert first["delay_explanation"]["department"] == "情報政策課"


def test_the_organization_page_reads_its_systems_attributes_once_for_all_its_sections(client, monkeypatch) -> None:
    """The progress table (attributes at the month), the ガバメントクラウド and vendor-change table, and the
    特定移行支援 designations all come from one read of the 団体's attribute rows, kept for the data version
    that the page is rendered at (outside the test's transaction, as for a reader)."""
    from shinchoku.web import middleware

    monkeypatch.setattr(middleware, "_in_transaction", lambda: False)
    _add_reported_systems(3)
    months = list(Month.objects.filter(published=True).order_by("as_of").values_list("as_of", flat=True))
    cache.responses.clear()
    table = SystemAttributes._meta.db_table
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"/organizations/{ORG}?as_of={months[-2].isoformat()}")
    assert response.status_code == 200
    reads = [q["sql"] for q in captured.captured_queries if table in q["sql"]]
    assert len(reads) == 1, reads
    page = response.content.decode()
    assert "ガバメントクラウド" in page and "特定移行支援" in page


def test_the_organization_page_of_a_past_month_builds_no_model_instances_for_its_rows(client, monkeypatch) -> None:
    """A 団体's page of a past month (rendered on request, not stored) reads its delay explanations, its trend,
    its warnings and forecast, its procedures and its cost reports as plain rows: no model instance of those
    tables is built (the ORM's query building and instances were a fifth of the page's CPU)."""
    from django.db.models.signals import post_init

    from shinchoku.costs.models import CostLine, CostReport
    from shinchoku.outlook.models import Forecast, SystemWarning
    from shinchoku.procedures.models import ProcedureStatus
    from shinchoku.progress.models import OrganizationRollup
    from shinchoku.web import middleware

    monkeypatch.setattr(middleware, "_in_transaction", lambda: False)
    _add_reported_systems(2)
    months = list(Month.objects.filter(published=True).order_by("as_of").values_list("as_of", flat=True))
    watched = (DelayExplanation, OrganizationRollup, SystemWarning, Forecast, ProcedureStatus, CostReport, CostLine)
    built: list[str] = []

    def seen(sender, **kwargs) -> None:
        if sender in watched:
            built.append(sender.__name__)

    post_init.connect(seen)
    try:
        cache.responses.clear()
        response = client.get(f"/organizations/{ORG}?as_of={months[-1].isoformat()}")
    finally:
        post_init.disconnect(seen)
    assert response.status_code == 200
    assert built == []
    page = response.content.decode()
    assert "情報政策課" in page  # the added systems' delay explanations, read as plain rows
    assert "月ごとの推移" in page and "運用経費" in page


def test_the_organization_api_keeps_its_small_reads_for_the_data_version(client, monkeypatch) -> None:
    """The API names the data version for its reads as the pages do: a second month of the same 団体 reads
    neither the 団体 nor its attribute rows again, only that month's rows."""
    from shinchoku.api import middleware

    monkeypatch.setattr(middleware, "_bypass", lambda request: False)  # outside the test's transaction, as for a reader
    months = list(Month.objects.filter(published=True).order_by("as_of").values_list("as_of", flat=True))
    cache.responses.clear()
    first = client.get(f"/api/v1/organizations/{ORG}/progress?as_of={months[-2].isoformat()}")
    assert first.status_code == 200
    with CaptureQueriesContext(connection) as captured:
        second = client.get(f"/api/v1/organizations/{ORG}/progress?as_of={months[-3].isoformat()}")
    assert second.status_code == 200
    assert second.json()["code"] == ORG and second.json()["as_of"] == months[-3].isoformat()
    sql = [q["sql"] for q in captured.captured_queries]
    assert not [q for q in sql if "reference_organization" in q or SystemAttributes._meta.db_table in q], sql
    assert any(StatusSnapshot._meta.db_table in q for q in sql)  # the month's own statuses are read
