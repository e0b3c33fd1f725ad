"""Compute the warnings and forecasts of the months a database already holds (upgrading an installation).

A new database has no months and skips this; later months are computed whenever rollups are refreshed.
"""

from django.db import migrations


def compute(apps, schema_editor):
    Month = apps.get_model("progress", "Month")
    months = list(Month.objects.values_list("as_of", flat=True))
    if not months:
        return
    from shinchoku.outlook.refresh import refresh_outlook

    refresh_outlook(months)


class Migration(migrations.Migration):
    dependencies = [("outlook", "0001_initial")]

    operations = [migrations.RunPython(compute, migrations.RunPython.noop)]
