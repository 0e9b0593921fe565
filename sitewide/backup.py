"""What a backup holds: the whole register, with its history and its editors.

Every table of `register` and `foi_requests` (records, evidence, FOI requests
and the django-simple-history tables that keep every earlier version), plus the
users and groups that history and permissions refer to, by natural key.
"""

from django.apps import apps
from django.db import models

BACKUP_APPS = ("register", "foi_requests")
# Before the register: history rows point to their users.
BACKUP_MODELS_BEFORE = ("auth.group", "auth.user")


def backup_labels() -> list[str]:
    return [*BACKUP_MODELS_BEFORE, *BACKUP_APPS]


def register_models() -> list[type[models.Model]]:
    """Every model (and historical model) whose rows a backup must carry."""
    return [model for label in BACKUP_APPS for model in apps.get_app_config(label).get_models()]


def register_is_empty() -> bool:
    return not any(model._default_manager.exists() for model in register_models())
