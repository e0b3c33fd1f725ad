from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "shinchoku.staff"
    label = "staff"
    verbose_name = "職員用画面"
