from django.apps import AppConfig


class ProceduresConfig(AppConfig):
    name = "shinchoku.procedures"
    label = "procedures"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from shinchoku.imports.importer import register

        from .imports import ProceduresImporter

        register(ProceduresImporter())
