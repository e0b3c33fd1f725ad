"""The admin site: Django's, with every deletion logged by the admin also in the audit trail.

The admin writes a LogEntry for every add, change and delete; `audit._admin_write` mirrors them through
post_save. Its bulk action 「選択された…の削除」 (delete_selected) logs its deletions with
`LogEntry.objects.bulk_create` (`ModelAdmin.log_deletions`, Django 5.1+), which sends no post_save, so
every ModelAdmin registered on this site gets `AuditedModelAdminMixin`, which records those entries itself.
`shinchoku.accounts.admin_apps.AuditedAdminConfig` makes this the default site (`admin.site`).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin


class AuditedModelAdminMixin:
    def log_deletions(self, request: Any, queryset: Any) -> Any:
        from .audit import record_admin_entries

        entries = super().log_deletions(request, queryset)  # type: ignore[misc]
        record_admin_entries(entries if isinstance(entries, list) else [entries])
        return entries


class AuditedAdminSite(admin.AdminSite):
    def register(self, model_or_iterable: Any, admin_class: Any = None, **options: Any) -> None:
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, AuditedModelAdminMixin):
            admin_class = type(
                admin_class.__name__,
                (AuditedModelAdminMixin, admin_class),
                {"__module__": admin_class.__module__},
            )
        super().register(model_or_iterable, admin_class, **options)
