from django.db import migrations

from core.search import search_document_migration


class Migration(migrations.Migration):
    """Stored text search documents with GIN indexes, and trigram indexes on
    names, so that search reads indexes rather than parsing every text
    (PostgreSQL only; see core.search)."""

    dependencies = [
        ("register", "0004_indexes_for_filters"),
    ]

    operations = [
        search_document_migration("register_force", ("name", "slug")),
        search_document_migration("register_supplier", ("name", "description"), trigram_on="name"),
        search_document_migration("register_tool", ("name", "description"), trigram_on="name"),
        search_document_migration("register_deployment", ("purpose",)),
    ]
