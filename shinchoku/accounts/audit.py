"""Recording the audit trail. Every guarded service calls `record`; admin writes arrive via LogEntry
(post_save, and for the admin's bulk deletions `record_admin_entries`, see admin_site.py)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypedDict

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.db.models import QuerySet
from django.db.models.signals import post_save
from django.dispatch import receiver
from typing_extensions import Unpack

from shinchoku.publication.versions import data_changed

from .models import AuditEntry, Role
from .rules import profile_of, visible_organizations


class Subject(TypedDict, total=False):
    """What an audit entry is about: the 団体, the target, and the values before and after."""

    organization_code: str
    target: str
    before: Any
    after: Any


class EntryFields(Subject):
    """A whole audit entry: who (actor, source) did what (action), and its Subject."""

    actor: str
    source: str
    action: str


# Writes that change, of all 団体 pages, only their own 団体's (checked page by page in
# tests/integration/test_stored_pages.py): they move that 団体's version, not the epoch of every page.
ORGANIZATION_ONLY = frozenset({"set_status", "bulk_set_status", "save_delay", "update_system"})


def record(**fields: Unpack[EntryFields]) -> AuditEntry:
    saved = entry(**fields)
    saved.save()
    # every audited write may change what public readers see: one way to move the version
    code = fields.get("organization_code")
    data_changed([code] if code and fields["action"] in ORGANIZATION_ONLY else None)
    return saved


def entry(**fields: Unpack[EntryFields]) -> AuditEntry:
    """An unsaved entry, for bulk_create (a national import writes one per 団体: 1,788 rows)."""
    return AuditEntry(
        actor=fields["actor"][:150],
        source=fields["source"][:16],
        action=fields["action"][:32],
        organization_code=fields.get("organization_code", ""),
        target=fields.get("target", "")[:255],
        before=fields.get("before"),
        after=fields.get("after"),
    )


def visible_entries(user: Any) -> QuerySet[AuditEntry]:
    """Operators see everything; other staff see the entries of the 団体 they can read."""
    profile = profile_of(user)
    if profile is None:
        return AuditEntry.objects.none()
    if profile.role == Role.OPERATOR:
        return AuditEntry.objects.all()
    codes = [o.code for o in visible_organizations(user)]
    return AuditEntry.objects.filter(organization_code__in=codes)


@receiver(post_save, sender=LogEntry, dispatch_uid="shinchoku-audit-admin")
def _admin_write(sender: type, instance: LogEntry, created: bool, **kwargs: Any) -> None:
    """Django admin records its own LogEntry for every add/change/delete; mirror it into the trail."""
    if created:
        _record_admin_entry(instance)


def record_admin_entries(entries: Iterable[LogEntry]) -> None:
    """Admin log entries written without post_save (bulk deletions, see admin_site.py), each recorded once."""
    for entry in entries:
        if isinstance(entry, LogEntry) and not getattr(entry, "_shinchoku_audited", False):
            _record_admin_entry(entry)


def _record_admin_entry(instance: LogEntry) -> None:
    kind = {ADDITION: "admin_add", CHANGE: "admin_change", DELETION: "admin_delete"}.get(instance.action_flag, "admin")
    code = ""
    model = instance.content_type.model if instance.content_type else ""
    if model == "organization":
        code = str(instance.object_id or "")[:6]
    deleted = instance.action_flag == DELETION
    record(
        actor=instance.user.get_username() if instance.user_id else "",
        source="admin",
        action=kind,
        organization_code=code,
        target=f"{model}:{instance.object_id} {instance.object_repr}",
        before={"object": instance.object_repr} if deleted else None,
        after=None if deleted else {"change_message": instance.get_change_message()},
    )
    instance._shinchoku_audited = True
