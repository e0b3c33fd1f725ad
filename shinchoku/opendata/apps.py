from django.apps import AppConfig


class OpendataConfig(AppConfig):
    name = "shinchoku.opendata"
    label = "opendata"
    verbose_name = "オープンデータ"
    default_auto_field = "django.db.models.BigAutoField"
