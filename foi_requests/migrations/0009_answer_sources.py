"""Each FOI request's answer becomes a `register.Source`, which evidence will quote."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery
from django.urls import reverse

BATCH = 2000


def create_answer_sources(apps, schema_editor):
    FoiRequest = apps.get_model("foi_requests", "FoiRequest")
    HistoricalFoiRequest = apps.get_model("foi_requests", "HistoricalFoiRequest")
    Source = apps.get_model("register", "Source")
    requests = FoiRequest.objects.filter(source__isnull=True).order_by("pk")
    while batch := list(requests[:BATCH]):
        sources = Source.objects.bulk_create(
            Source(
                kind="foi_answer",
                title=request.reference or request.title,
                slug=request.slug,
                url=reverse("foi_requests:detail", args=[request.slug]),
                force_id=request.force_id,
                is_published=request.is_published,
            )
            for request in batch
        )
        for request, source in zip(batch, sources, strict=True):
            request.source_id = source.pk
        FoiRequest.objects.bulk_update(batch, ["source"])
    HistoricalFoiRequest.objects.update(
        source_id=Subquery(FoiRequest.objects.filter(pk=OuterRef("id")).values("source_id")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("foi_requests", "0008_index_for_facets"),
        ("register", "0007_sources"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="foirequest", name="foi_request_as_source"),
        migrations.AddField(
            model_name="foirequest",
            name="source",
            field=models.OneToOneField(
                null=True,
                editable=False,
                help_text="The answer as a source that evidence quotes, kept in step by save().",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="foi_request",
                to="register.source",
            ),
        ),
        migrations.AddField(
            model_name="historicalfoirequest",
            name="source",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                editable=False,
                help_text="The answer as a source that evidence quotes, kept in step by save().",
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="register.source",
            ),
        ),
        migrations.RunPython(create_answer_sources, migrations.RunPython.noop),
    ]
