from django.apps import AppConfig


class PublicationConfig(AppConfig):
    name = "shinchoku.publication"
    label = "publication"
    verbose_name = "公開とデータの出所"
    default_auto_field = "django.db.models.BigAutoField"
