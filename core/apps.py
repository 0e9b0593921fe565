from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The machinery every app uses (API base classes, caching, facets, search,
    list pages, publication rules, edit conflicts, admin mixins). It imports
    none of the register's models."""

    name = "core"
    verbose_name = "Core"

    def ready(self):
        from django.db.backends.signals import connection_created

        from .search import set_trigram_threshold

        connection_created.connect(set_trigram_threshold)
