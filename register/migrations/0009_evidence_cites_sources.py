"""Evidence cites its source alone: its FOI request and document fields go (a
migration of its own: on PostgreSQL a table cannot be altered in the
transaction that filled it)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("register", "0008_evidence")]

    operations = [
        migrations.RemoveField(model_name="evidence", name="foi_request"),
        migrations.RemoveField(model_name="evidence", name="document_title"),
        migrations.RemoveField(model_name="evidence", name="document_url"),
        migrations.RemoveField(model_name="historicalevidence", name="foi_request"),
        migrations.RemoveField(model_name="historicalevidence", name="document_title"),
        migrations.RemoveField(model_name="historicalevidence", name="document_url"),
        migrations.AlterField(
            model_name="evidence",
            name="source",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="evidence", to="register.source"
            ),
        ),
        migrations.AlterModelOptions(
            name="evidence",
            options={"verbose_name_plural": "evidence", "ordering": ["source_id", "question_number", "id"]},
        ),
        migrations.AddIndex(
            model_name="evidence",
            index=models.Index(
                condition=models.Q(("deployment__isnull", False)),
                fields=["deployment", "source", "question_number", "id"],
                name="evidence_of_deployment",
            ),
        ),
        migrations.AddConstraint(
            model_name="evidence",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("assessment__isnull", True), ("deployment__isnull", True), ("supplier__isnull", True), ("tool__isnull", False)),
                    models.Q(("assessment__isnull", True), ("deployment__isnull", False), ("supplier__isnull", True), ("tool__isnull", True)),
                    models.Q(("assessment__isnull", False), ("deployment__isnull", True), ("supplier__isnull", True), ("tool__isnull", True)),
                    models.Q(("assessment__isnull", True), ("deployment__isnull", True), ("supplier__isnull", False), ("tool__isnull", True)),
                    _connector="OR",
                ),
                name="evidence_supports_exactly_one_record",
            ),
        ),
    ]
