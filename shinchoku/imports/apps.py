from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "shinchoku.imports"

    def ready(self) -> None:
        from .importer import register
        from .progress_importer import ProgressImporter
        from .special_support_importer import SpecialSupportImporter

        register(SpecialSupportImporter())
        register(ProgressImporter())
