from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "shinchoku.accounts"
    verbose_name = "職員アカウント"

    def ready(self) -> None:
        from . import audit  # noqa: F401  (connects the admin LogEntry hook)
