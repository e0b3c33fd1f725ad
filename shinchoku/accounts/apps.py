from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "shinchoku.accounts"
    label = "accounts"
    default_auto_field = "django.db.models.BigAutoField"
