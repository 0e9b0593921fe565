from django.db import migrations

from core.search import full_text_migration


class Migration(migrations.Migration):
    """Search on each database's engine (see core.search): the words of FOI
    requests and exemptions in the vocabulary; on SQLite, their FTS5 tables
    (a request's with its force's name) kept in step by triggers."""

    dependencies = [
        ("foi_requests", "0017_answer_source_dates"),
        ("register", "0015_full_text_search"),
    ]

    operations = [
        *full_text_migration(
            "foi_requests_foirequest",
            ("title", "reference", "other_references", "request_text", "response_text"),
            related={"force": ("register_force", ("name",))},
        ),
        *full_text_migration("foi_requests_exemption", ("section", "name")),
    ]
