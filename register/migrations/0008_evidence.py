"""Evidence arrives from `foi_requests` (whose migration 0010 renamed its tables)
and quotes a `Source`: an FOI answer's source, or a published document's, made
from the document title and address the evidence carried."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

OLD_FIELDS = [
    (
        "question_number",
        models.CharField(
            blank=True, help_text="The question answered, as numbered in the request, e.g. “1g”.", max_length=20
        ),
    ),
    ("document_title", models.CharField(blank=True, max_length=300)),
    ("document_url", models.URLField(blank=True, max_length=500)),
    ("quote", models.TextField(help_text="The passage, word for word, that supports the fact.")),
    (
        "field",
        models.CharField(
            blank=True,
            help_text="The field the passage supports, e.g. “started” or “status”. Empty: the record as a whole.",
            max_length=50,
            verbose_name="fact supported",
        ),
    ),
]


def target(name, historical):
    if historical:
        return models.ForeignKey(
            blank=True,
            db_constraint=False,
            null=True,
            on_delete=django.db.models.deletion.DO_NOTHING,
            related_name="+",
            to=f"register.{name}",
        )
    return models.ForeignKey(
        blank=True,
        null=True,
        on_delete=django.db.models.deletion.CASCADE,
        related_name="evidence",
        to=f"register.{name}",
    )


def cite_sources(apps, schema_editor):
    """Each piece of evidence (and each of its earlier versions) quotes its FOI answer's
    source, or the source of the published document it named (one per title and address)."""
    FoiRequest = apps.get_model("foi_requests", "FoiRequest")
    Source = apps.get_model("register", "Source")
    answer_sources = dict(FoiRequest.objects.values_list("pk", "source_id"))
    document_sources = {}

    def document_source(title: str, url: str):
        if not url:
            return None
        if (title, url) not in document_sources:
            document_sources[title, url] = Source.objects.create(
                kind="document", title=title or url, url=url, is_published=True
            ).pk
        return document_sources[title, url]

    for model_name in ("Evidence", "HistoricalEvidence"):
        model = apps.get_model("register", model_name)
        rows = model.objects.values_list("pk", "foi_request_id", "document_title", "document_url")
        for pk, foi_request_id, title, url in rows.iterator():
            source_id = answer_sources.get(foi_request_id) if foi_request_id else document_source(title, url)
            model.objects.filter(pk=pk).update(source_id=source_id)


class Migration(migrations.Migration):
    dependencies = [
        ("register", "0007_sources"),
        ("foi_requests", "0011_evidence_moves_to_register"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Evidence",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID"),
                        ),
                        *OLD_FIELDS,
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True, db_index=True)),
                        ("assessment", target("assessment", False)),
                        ("deployment", target("deployment", False)),
                        ("supplier", target("supplier", False)),
                        ("tool", target("tool", False)),
                        (
                            "foi_request",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="evidence",
                                to="foi_requests.foirequest",
                            ),
                        ),
                    ],
                    options={"verbose_name_plural": "evidence", "ordering": ["foi_request_id", "question_number", "id"]},
                ),
                migrations.CreateModel(
                    name="HistoricalEvidence",
                    fields=[
                        ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                        *OLD_FIELDS,
                        ("created_at", models.DateTimeField(blank=True, editable=False)),
                        ("updated_at", models.DateTimeField(blank=True, db_index=True, editable=False)),
                        ("history_id", models.AutoField(primary_key=True, serialize=False)),
                        ("history_date", models.DateTimeField(db_index=True)),
                        ("history_change_reason", models.CharField(max_length=100, null=True)),
                        (
                            "history_type",
                            models.CharField(
                                choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                            ),
                        ),
                        ("assessment", target("assessment", True)),
                        ("deployment", target("deployment", True)),
                        (
                            "foi_request",
                            models.ForeignKey(
                                blank=True,
                                db_constraint=False,
                                null=True,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                related_name="+",
                                to="foi_requests.foirequest",
                            ),
                        ),
                        (
                            "history_user",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        ("supplier", target("supplier", True)),
                        ("tool", target("tool", True)),
                    ],
                    options={
                        "verbose_name": "historical evidence",
                        "verbose_name_plural": "historical evidence",
                        "ordering": ("-history_date", "-history_id"),
                        "get_latest_by": ("history_date", "history_id"),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
            ],
            database_operations=[],
        ),
        migrations.AddField(
            model_name="evidence",
            name="source",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.PROTECT, related_name="evidence", to="register.source"
            ),
        ),
        migrations.AddField(
            model_name="historicalevidence",
            name="source",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="register.source",
            ),
        ),
        migrations.RunPython(cite_sources, migrations.RunPython.noop),
    ]
