from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The machinery every app uses (API base classes, caching, facets, search,
    list pages, publication rules, edit conflicts, admin mixins). It imports
    none of the register's models."""

    name = "core"
    verbose_name = "Core"

    def ready(self):
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate, pre_migrate

        from .query_planner import refresh_statistics
        from .search import drop_full_text_triggers, install_full_text_triggers

        connection_created.connect(refresh_statistics, dispatch_uid="refresh-sqlite-statistics")
        # SQLite's FTS triggers stand aside while migrations rebuild tables (see core.search).
        pre_migrate.connect(drop_full_text_triggers, dispatch_uid="drop-full-text-triggers")
        post_migrate.connect(install_full_text_triggers, dispatch_uid="install-full-text-triggers")
