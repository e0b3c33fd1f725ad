"""Move each system's attributes into SystemAttributes rows (by month) and record the kind of data held."""

from datetime import date

from django.db import migrations
from django.db.models import Min

FIELDS = ("vendor", "package", "planned_go_live", "uses_gov_cloud")


def forward(apps, schema_editor):
    System = apps.get_model("progress", "System")
    Snapshot = apps.get_model("progress", "StatusSnapshot")
    Attributes = apps.get_model("progress", "SystemAttributes")
    Month = apps.get_model("progress", "Month")
    Dataset = apps.get_model("publication", "Dataset")
    first = dict(Snapshot.objects.values("system_id").annotate(m=Min("as_of")).values_list("system_id", "m"))
    earliest = Month.objects.aggregate(m=Min("as_of"))["m"] or date(2023, 4, 30)
    rows = []
    for s in System.objects.all().iterator(chunk_size=2000):
        start = first.get(s.id, earliest)
        values = {f: getattr(s, f) for f in FIELDS}
        if not s.special_support:
            if any(values[f] not in (None, "") for f in FIELDS):
                rows.append(Attributes(system_id=s.id, as_of=start, source="migration", **values))
            continue
        since = s.special_support_since
        if since is not None and since > start:
            rows.append(Attributes(system_id=s.id, as_of=start, source="migration", **values))
            start = since
        rows.append(
            Attributes(
                system_id=s.id,
                as_of=start,
                special_support=True,
                planned_completion=s.planned_completion,
                source="migration",
                **values,
            )
        )
    Attributes.objects.bulk_create(rows, batch_size=2000)
    if not Dataset.objects.exists() and Month.objects.exists():
        kind = "sample" if Month.objects.filter(sample_data=True).exists() else "real"
        Dataset.objects.create(pk=1, kind=kind, claimed_by="migration")


class Migration(migrations.Migration):
    dependencies = [
        ("progress", "0003_month_attributes_rates_lists"),
        ("publication", "0001_initial"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
