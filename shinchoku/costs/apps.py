from django.apps import AppConfig


class CostsConfig(AppConfig):
    """Operating costs and the ガバメントクラウド."""

    name = "shinchoku.costs"

    def ready(self) -> None:
        from shinchoku.imports.importer import register
        from shinchoku.progress.hooks import MONTH_HOOKS, RESET_HOOKS, join

        from . import cloud
        from .importer import CostsImporter
        from .services import forget_practice

        register(CostsImporter())
        # ガバメントクラウド and vendor figures are refreshed with each month's progress rollups.
        join(MONTH_HOOKS, cloud.refresh_for)
        join(RESET_HOOKS, forget_practice)  # the practice 団体's reports go when it is reset
