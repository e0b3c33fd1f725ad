from django.apps import AppConfig


class OutlookConfig(AppConfig):
    name = "shinchoku.outlook"
    label = "outlook"
    verbose_name = "警告と見通し"
    default_auto_field = "django.db.models.BigAutoField"
