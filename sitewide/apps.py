from django.apps import AppConfig


class SitewideConfig(AppConfig):
    """Pages and tools that read several apps at once: home, search, the
    transparency matrix, figures, the force page, the API's root and dump, the
    change log, deleted records, backups and the editorial groups. Nothing
    imports this app."""

    name = "sitewide"
    verbose_name = "Site-wide pages"
