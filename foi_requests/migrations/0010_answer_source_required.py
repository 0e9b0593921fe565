"""Every FOI request now has its answer's source (a migration of its own: on
PostgreSQL a table cannot be altered in the transaction that filled it)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("foi_requests", "0009_answer_sources")]

    operations = [
        migrations.AlterField(
            model_name="foirequest",
            name="source",
            field=models.OneToOneField(
                editable=False,
                help_text="The answer as a source that evidence quotes, kept in step by save().",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="foi_request",
                to="register.source",
            ),
        ),
    ]
