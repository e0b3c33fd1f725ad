from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "shinchoku.accounts"
    label = "accounts"
    verbose_name = "職員アカウント"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import audit  # noqa: F401  (connects the admin LogEntry hook)
