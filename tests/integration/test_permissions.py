"""The permission matrix: every role × own / other 団体 / other prefecture × every write endpoint.

Allowed exactly where the rule table says (written out independently here), 403 elsewhere, and no row of
the tables a write path may change written after a refusal (counted by triggers: writecount.py).
"""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from shinchoku.accounts import tokens
from shinchoku.progress.models import System
from shinchoku.progress.practice import PRACTICE_CODE
from shinchoku.progress.selectors import effective_snapshots
from tests.integration import writecount
from tests.integration.test_staff_helpers import (
    LATEST,
    A,
    B,
    C,
    P,
    cell_post,
    delay_form,
    make_user,
    not_applicable_report,
    system_of,
    watched_models,
)
from tests.integration.writecount import count as written

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def counted_writes(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), writecount.installed(watched_models()):
        yield


def test_the_write_counter_counts_the_rows_written_that_stay():
    from django.db import transaction

    from shinchoku.progress.models import Month

    before = written()
    with pytest.raises(RuntimeError), transaction.atomic():  # a write rolled back, as a refused import's
        Month.objects.update(published=False)  # update() leaves updated_at alone
        raise RuntimeError
    assert written() == before
    rows = Month.objects.update(published=True)
    assert rows > 1 and written() == before + rows


# role name -> (role, home 団体, may edit municipalities)
ROLES = {
    "operator": ("operator", None, False),
    "prefecture": ("prefecture", P, False),
    "prefecture+munis": ("prefecture", P, True),
    "municipality": ("municipality", A, False),
    "viewer-municipality": ("viewer", A, False),
    "viewer-prefecture": ("viewer", P, False),
}
# Targets: A own municipality, B another 団体 of the same prefecture, P the prefecture, C another prefecture's.
EDITS = {
    "operator": {A, B, P, C},
    "prefecture": {P},
    "prefecture+munis": {P, A, B},
    "municipality": {A},
    "viewer-municipality": set(),
    "viewer-prefecture": set(),
}
TARGETS = {"own": A, "same-prefecture": B, "prefecture": P, "other-prefecture": C}


def _current(system: System, step: str = "1") -> tuple[str, int]:
    snap = effective_snapshots([system], LATEST).get(system.pk)
    if snap is None:
        return "not_started", 0
    code = snap.codes[int(step) - 1]
    return {"C": "completed", "P": "in_progress", "N": "not_started", "X": "not_applicable"}[code], int(
        snap.versions.get(step, 0)
    )


def _other(status: str) -> str:
    return "in_progress" if status != "in_progress" else "completed"


def grid_cell(client: Client, code: str, token: str) -> int:
    s = system_of(code)
    status, version = _current(s)
    return client.post(
        f"/staff/orgs/{code}/cell/?as_of=2026-10&correct=1",
        cell_post(s, "1", _other(status), version, status),
        HTTP_HX_REQUEST="true",
    ).status_code


def grid_form(client: Client, code: str, token: str) -> int:
    s = system_of(code)
    status, version = _current(s, "2")
    data = {"as_of": "2026-10", "correct": "1", **cell_post(s, "2", _other(status), version, status)}
    return client.post(f"/staff/orgs/{code}/grid/", data).status_code


Endpoint = Callable[[Client, str, str], int]


def staff_post(path: str, data: dict) -> Endpoint:
    """An endpoint that posts `data` to the 団体's staff page `path` (below /staff/orgs/<code>/)."""

    def post(client: Client, code: str, token: str) -> int:
        return client.post(f"/staff/orgs/{code}/{path}", data).status_code

    return post


def api_import_file(token: str, f: SimpleUploadedFile) -> int:
    return Client().post("/api/v1/imports", {"file": f}, HTTP_AUTHORIZATION=f"Bearer {token}").status_code


def staff_upload(client: Client, code: str, f: SimpleUploadedFile) -> int:
    return client.post(f"/staff/orgs/{code}/upload/", {"file": f, "format": "auto"}).status_code


bulk = staff_post("bulk/?as_of=2026-10&correct=1", {"step": "39", "status": "not_applicable"})


def api_put(client: Client, code: str, token: str) -> int:
    s = system_of(code)
    status, version = _current(s)
    body = json.dumps({"status": _other(status), "as_of": "2026-10-31", "version": version})
    return (
        Client()
        .put(
            f"/api/v1/organizations/{code}/systems/{s.name}/steps/1",
            body,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
        .status_code
    )


def upload(client: Client, code: str, token: str) -> int:
    return staff_upload(client, code, not_applicable_report(code, "5"))


def api_import(client: Client, code: str, token: str) -> int:
    return api_import_file(token, not_applicable_report(code, "6"))


BUSINESSES = ("住民基本台帳", "印鑑登録", "戸籍の附票", "選挙人名簿管理", "個人住民税", "法人住民税", "固定資産税")
BUSINESSES += ("軽自動車税", "戸籍", "就学", "健康管理", "児童扶養手当", "児童手当", "子ども・子育て支援", "生活保護")
BUSINESSES += ("障害者福祉", "介護保険", "国民健康保険", "後期高齢者医療", "国民年金")


def api_import_rates(client: Client, code: str, token: str) -> int:
    """A file of published 完了率 (no step statuses) for one 団体, through the API."""
    header = "全国地方公共団体コード,都道府県名,市区町村名,基準日,完了率（全体）," + ",".join(BUSINESSES)
    row = f"{code},,,2026-10-31,0.5," + ",".join(["0.5"] * len(BUSINESSES))
    f = SimpleUploadedFile("rates.csv", f"{header}\n{row}\n".encode(), content_type="text/csv")
    return api_import_file(token, f)


def system_attributes(client: Client, code: str, token: str) -> int:
    s = system_of(code)
    return client.post(
        f"/staff/orgs/{code}/systems/{s.pk}/", {"vendor": "新しい事業者", "uses_gov_cloud": "yes"}
    ).status_code


add_system = staff_post("systems/", {"add_system": "1", "name": "権限テスト用システム"})
add_own_step = staff_post("systems/", {"add_own_step": "1", "name": "権限テスト用ステップ"})


def delay(client: Client, code: str, token: str) -> int:
    s = system_of(code)
    return client.post(f"/staff/orgs/{code}/systems/{s.pk}/delay/?as_of=2026-10", delay_form("理由")).status_code


# The operating cost form: one 年度's categories for the month being reported; and the withdrawal of the
# fictional FY2020 costs every target 団体 has (the sample), from 2026-10 on.
costs_form = staff_post(
    "costs/",
    {"as_of": "2026-10", "fiscal_year": "2019", "system_usage": "123457", "network": "4321", "comment": "権限"},
)
costs_withdraw = staff_post("costs/", {"as_of": "2026-10", "fiscal_year": "2020", "withdraw": "1"})


def costs_report(code: str, amount: int) -> SimpleUploadedFile:
    text = f"全国地方公共団体コード,年度,区分,金額（千円）\n{code},2019,回線費,{amount}\n".encode()
    return SimpleUploadedFile("costs.csv", text, content_type="text/csv")


def costs_upload(client: Client, code: str, token: str) -> int:
    return staff_upload(client, code, costs_report(code, 97531))


def costs_api_import(client: Client, code: str, token: str) -> int:
    return api_import_file(token, costs_report(code, 97532))


ENDPOINTS: dict[str, Endpoint] = {
    "grid-cell": grid_cell,
    "grid-form": grid_form,
    "bulk": bulk,
    "api-put": api_put,
    "upload": upload,
    "api-import": api_import,
    "api-import-rates": api_import_rates,
    "system-attributes": system_attributes,
    "add-system": add_system,
    "add-own-step": add_own_step,
    "delay": delay,
    "costs-form": costs_form,
    "costs-withdraw": costs_withdraw,
    "costs-upload": costs_upload,
    "costs-api-import": costs_api_import,
}
ALLOWED_STATUS = {
    "grid-cell": 200,
    "grid-form": 302,
    "bulk": 302,
    "api-put": 200,
    "upload": 200,
    "api-import": 200,
    "api-import-rates": 200,
    "system-attributes": 302,
    "add-system": 302,
    "add-own-step": 302,
    "delay": 302,
    "costs-form": 302,
    "costs-withdraw": 302,
    "costs-upload": 200,
    "costs-api-import": 200,
}


@pytest.fixture(autouse=True)
def unpublished_latest_month(settings, tmp_path):
    """Edit an unpublished month: its rollups wait for publishing, so the 250 cases stay fast.
    Previewed uploads wait in a temporary folder."""
    from shinchoku.progress.models import Month

    settings.SHINCHOKU_UPLOAD_DIR = tmp_path
    Month.objects.filter(as_of=LATEST).update(published=False)


def login(client: Client, role_name: str) -> str:
    role, org, munis = ROLES[role_name]
    user = make_user(f"u-{role_name}", role, org, munis=munis, password=False)
    client.force_login(user)
    return tokens.issue(user)[1]


@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
@pytest.mark.parametrize("target", list(TARGETS))
@pytest.mark.parametrize("role_name", list(ROLES))
def test_matrix(client, role_name, target, endpoint):
    token = login(client, role_name)
    code = TARGETS[target]
    before = written()
    status = ENDPOINTS[endpoint](client, code, token)
    if code in EDITS[role_name]:
        assert status == ALLOWED_STATUS[endpoint], (role_name, target, endpoint, status)
        if endpoint not in ("upload", "costs-upload"):  # the browser upload's first step is a dry run
            assert written() != before
    else:
        assert status == 403, (role_name, target, endpoint, status)
        assert written() == before


@pytest.mark.parametrize("role_name", list(ROLES))
def test_publish_is_for_operators_only(client, role_name):
    from shinchoku.progress.models import Month

    login(client, role_name)
    month = Month.objects.order_by("-as_of").first()
    Month.objects.filter(pk=month.pk).update(published=False)
    before = written()
    r = client.post("/staff/publish/", {"month": f"{month.as_of:%Y-%m}", "confirm": "yes"})
    if role_name == "operator":
        assert r.status_code == 302 and Month.objects.get(pk=month.pk).published
    else:
        assert r.status_code == 403 and written() == before and not Month.objects.get(pk=month.pk).published


@pytest.mark.parametrize("role_name", list(ROLES))
def test_every_account_may_use_and_reset_practice(client, role_name):
    login(client, role_name)
    assert client.get(f"/staff/orgs/{PRACTICE_CODE}/").status_code == 200
    s = System.objects.filter(organization_id=PRACTICE_CODE).first()
    assert grid_cell(client, PRACTICE_CODE, "") == 200
    assert client.post("/staff/practice/reset/", {"confirm": "yes"}).status_code == 302
    assert not System.objects.filter(pk=s.pk).exists()


def test_an_account_without_a_role_can_do_nothing(client):
    from django.contrib.auth.models import User

    client.force_login(User.objects.create_user("norole"))
    before = written()
    for endpoint in ENDPOINTS.values():
        assert endpoint(client, A, "") in (401, 403)
    assert client.post("/staff/practice/reset/").status_code == 403
    assert written() == before


def test_a_revoked_token_is_refused(client):
    user = make_user("m", "municipality", A, password=False)
    row, token = tokens.issue(user)
    tokens.revoke(row)
    assert api_put(client, A, token) == 401


def test_tokens_are_stored_hashed(client):
    user = make_user("m", "municipality", A, password=False)
    row, token = tokens.issue(user)
    from shinchoku.accounts.models import ApiToken

    stored = ApiToken.objects.get(pk=row.pk)
    assert token not in (stored.digest, stored.prefix) and len(stored.digest) == 64


READS = {
    "operator": {A, B, P, C},
    "prefecture": {A, B, P},
    "prefecture+munis": {A, B, P},
    "municipality": {A},
    "viewer-municipality": {A},
    "viewer-prefecture": {A, B, P},
}


@pytest.mark.parametrize("role_name", list(ROLES))
def test_unpublished_data_is_readable_exactly_in_scope(client, role_name):
    login(client, role_name)
    for code in (A, B, P, C):
        status = client.get(f"/staff/orgs/{code}/?as_of=2026-10").status_code
        assert status == (200 if code in READS[role_name] else 403), (role_name, code, status)
