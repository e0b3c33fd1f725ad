from django.apps import AppConfig


class CostsConfig(AppConfig):
    """Operating costs and the ガバメントクラウド (issue 16)."""

    name = "shinchoku.costs"
    label = "costs"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from shinchoku.imports.importer import register
        from shinchoku.progress import rollups

        from . import cloud
        from .importer import CostsImporter

        register(CostsImporter())
        # ガバメントクラウド and vendor figures are refreshed with each month's progress rollups.
        if cloud.refresh_months not in rollups.MONTH_HOOKS:
            rollups.MONTH_HOOKS.append(cloud.refresh_months)
