from django.db import migrations

from core.search import search_document_migration


class Migration(migrations.Migration):
    """Stored text search documents with GIN indexes (PostgreSQL only; see core.search)."""

    dependencies = [
        ("foi_requests", "0004_indexes_for_filters"),
        ("register", "0005_search_documents"),
    ]

    operations = [
        search_document_migration(
            "foi_requests_foirequest", ("title", "reference", "other_references", "request_text", "response_text")
        ),
        search_document_migration("foi_requests_exemption", ("section", "name")),
    ]
