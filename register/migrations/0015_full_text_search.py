from django.db import migrations

from core.search import full_text_migration, word_table_migration


class Migration(migrations.Migration):
    """Search on each database's engine (see core.search): the vocabulary of
    searchable words on both; on SQLite, FTS5 tables kept in step by triggers.
    The trigram indexes of names go: no near miss is found by similarity now."""

    dependencies = [
        ("register", "0014_source_date"),
    ]

    operations = [
        *word_table_migration(),
        *full_text_migration("register_force", ("name", "slug")),
        *full_text_migration("register_supplier", ("name", "description")),
        *full_text_migration("register_tool", ("name", "description")),
        *full_text_migration(
            "register_deployment",
            ("purpose",),
            related={"tool": ("register_tool", ("name", "description")), "force": ("register_force", ("name",))},
        ),
        migrations.RunSQL(
            "DROP INDEX IF EXISTS register_supplier_name_trigram; DROP INDEX IF EXISTS register_tool_name_trigram;",
            migrations.RunSQL.noop,
            elidable=False,
        ),
    ]
