from django.apps import AppConfig


class OutlookConfig(AppConfig):
    name = "shinchoku.outlook"
    verbose_name = "警告と見通し"

    def ready(self) -> None:
        from shinchoku.progress.hooks import DELAY_HOOKS, MONTH_HOOKS, NATION_HOOKS, join

        from .refresh import refresh_outlook
        from .store_forecasts import refresh_national
        from .store_warnings import refresh_one_system

        # warnings and forecasts read the refreshed rollups; an explanation changes that system's 「説明なし」
        join(MONTH_HOOKS, refresh_outlook)
        join(NATION_HOOKS, refresh_national)  # at publishing, after incremental writes
        join(DELAY_HOOKS, refresh_one_system)
