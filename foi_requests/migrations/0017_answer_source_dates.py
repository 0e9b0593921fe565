"""Each FOI answer's source takes the date of its answer (`Source.dated`), as saving its request now keeps it."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def date_answer_sources(apps, schema_editor):
    FoiRequest = apps.get_model("foi_requests", "FoiRequest")
    Source = apps.get_model("register", "Source")
    answered = FoiRequest.objects.filter(source=OuterRef("pk")).values("date_responded")[:1]
    Source.objects.filter(kind="foi_answer").update(dated=Subquery(answered))


class Migration(migrations.Migration):
    dependencies = [
        ("foi_requests", "0016_history_exemptions_of_earlier_versions"),
        ("register", "0014_source_date"),
    ]

    operations = [migrations.RunPython(date_answer_sources, migrations.RunPython.noop)]
