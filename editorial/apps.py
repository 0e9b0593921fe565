from django.apps import AppConfig


class EditorialConfig(AppConfig):
    """Review before publication, history, conflict detection, change log,
    backups: what keeps the register trustworthy. Depends on `register` and
    `foi_requests`; neither depends on it except through admin mixins."""

    name = "editorial"
    verbose_name = "Editorial"
