from django.apps import AppConfig


class CostsConfig(AppConfig):
    """Operating costs and the ガバメントクラウド."""

    name = "shinchoku.costs"
    label = "costs"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from shinchoku.imports.importer import register
        from shinchoku.progress import practice, rollups

        from . import cloud
        from .importer import CostsImporter
        from .services import forget_practice

        register(CostsImporter())
        # ガバメントクラウド and vendor figures are refreshed with each month's progress rollups.
        if cloud.refresh_months not in rollups.MONTH_HOOKS:
            rollups.MONTH_HOOKS.append(cloud.refresh_months)
        # the practice 団体's reports go when it is reset
        if forget_practice not in practice.RESET_HOOKS:
            practice.RESET_HOOKS.append(forget_practice)
