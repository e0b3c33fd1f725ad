from django.apps import AppConfig


class OpendataConfig(AppConfig):
    name = "shinchoku.opendata"
    label = "opendata"
    verbose_name = "オープンデータ"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from .revision import WATCHED_MODELS, bump

        for model in WATCHED_MODELS:
            post_save.connect(bump, sender=model, dispatch_uid=f"opendata-revision-save-{model.__name__}")
            post_delete.connect(bump, sender=model, dispatch_uid=f"opendata-revision-delete-{model.__name__}")
