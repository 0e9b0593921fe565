"""Evidence (and its history) moves to `register`, keeping its tables' rows,
ids and permissions: the tables are renamed here, and `register` takes up the
model in its migration 0008."""

from django.db import migrations


def move_content_types(apps, schema_editor):
    # Permissions and admin log entries follow the model to its new app.
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="foi_requests", model__in=["evidence", "historicalevidence"]).update(
        app_label="register"
    )


def restore_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="register", model__in=["evidence", "historicalevidence"]).update(
        app_label="foi_requests"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("foi_requests", "0010_answer_source_required"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="evidence", name="evidence_of_deployment"),
        migrations.RemoveConstraint(model_name="evidence", name="evidence_supports_exactly_one_record"),
        migrations.RemoveConstraint(model_name="evidence", name="evidence_has_a_source"),
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable(name="evidence", table="register_evidence"),
                migrations.AlterModelTable(name="historicalevidence", table="register_historicalevidence"),
            ],
            state_operations=[
                migrations.DeleteModel(name="HistoricalEvidence"),
                migrations.DeleteModel(name="Evidence"),
            ],
        ),
        migrations.RunPython(move_content_types, restore_content_types),
    ]
