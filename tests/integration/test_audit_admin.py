"""Admin writes are audited, including the bulk action 「選択された…の削除」 (delete_selected).

Django (5.1+) logs those deletions with LogEntry.objects.bulk_create, which sends no post_save; the
audited admin site (shinchoku/accounts/admin_site.py) records them itself, once per deleted object.
"""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group

from shinchoku.accounts.admin_site import AuditedModelAdminMixin
from shinchoku.accounts.models import AuditEntry
from shinchoku.reference.models import Procedure
from tests.integration.test_staff_helpers import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(client):
    op = make_user("op", "operator", password=False)
    op.is_staff = op.is_superuser = True
    op.save()
    client.force_login(op)
    return op


def test_every_registered_model_admin_is_audited():
    assert admin.site._registry
    for model, model_admin in admin.site._registry.items():
        assert isinstance(model_admin, AuditedModelAdminMixin), model


def test_delete_selected_leaves_one_audit_entry_per_deleted_object(client, operator):
    groups = [Group.objects.create(name=f"監査テスト{i}") for i in range(3)]
    r = client.post(
        "/admin/auth/group/",
        {"action": "delete_selected", "_selected_action": [g.pk for g in groups], "post": "yes"},
    )
    assert r.status_code == 302
    assert not Group.objects.filter(pk__in=[g.pk for g in groups]).exists()
    assert LogEntry.objects.filter(action_flag=3, user=operator).count() == 3  # the admin's own log
    entries = AuditEntry.objects.filter(source="admin", action="admin_delete", actor="op")
    assert entries.count() == 3  # one each, none twice
    for g in groups:
        e = entries.get(target=f"group:{g.pk} {g.name}")
        assert e.before == {"object": g.name} and e.at


def test_delete_selected_of_one_object_is_audited_once(client, operator):
    g = Group.objects.create(name="監査テスト単独")
    r = client.post("/admin/auth/group/", {"action": "delete_selected", "_selected_action": [g.pk], "post": "yes"})
    assert r.status_code == 302
    assert (
        AuditEntry.objects.filter(source="admin", action="admin_delete", target=f"group:{g.pk} {g.name}").count() == 1
    )


def test_admin_change_is_audited_once(client, operator):
    p = Procedure.objects.get(number=1)
    r = client.get(f"/admin/reference/procedure/{p.pk}/change/")
    if r.status_code != 200:
        pytest.skip("procedures are not editable in the admin")
    data = {k: v for k, v in r.context["adminform"].form.initial.items() if v is not None}
    data["name"] = p.name + "（変更）"
    r = client.post(f"/admin/reference/procedure/{p.pk}/change/", data)
    assert r.status_code == 302, r.content.decode()[:2000]
    assert AuditEntry.objects.filter(source="admin", action="admin_change", actor="op").count() == 1
