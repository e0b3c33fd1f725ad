from django.apps import AppConfig


class ProceduresConfig(AppConfig):
    name = "shinchoku.procedures"

    def ready(self) -> None:
        from shinchoku.imports.importer import register
        from shinchoku.publication.signals import month_published

        from .imports import ProceduresImporter
        from .services import publish_with_progress

        register(ProceduresImporter())
        month_published.connect(publish_with_progress, dispatch_uid="procedures-publish-with-progress")
