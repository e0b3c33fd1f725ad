"""django.contrib.admin with the audited default site (see admin_site.py); named in INSTALLED_APPS."""

from django.contrib.admin.apps import AdminConfig


class AuditedAdminConfig(AdminConfig):
    default_site = "shinchoku.accounts.admin_site.AuditedAdminSite"
