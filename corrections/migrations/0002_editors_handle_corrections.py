"""Editors read and handle the corrections queue (and delete a correction on request).
Researchers do not: the queue holds senders' contact details."""

from django.db import migrations

ACTIONS = ["view", "change", "delete"]


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions
    from django.contrib.contenttypes.management import create_contenttypes

    # Permissions are normally created after all migrations; the group needs them now.
    app_config = apps.get_app_config("corrections")
    app_config.models_module = True
    create_contenttypes(app_config, verbosity=0, apps=apps)
    create_permissions(app_config, verbosity=0, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name="Editors")
    for action in ACTIONS:
        editors.permissions.add(
            Permission.objects.get(content_type__app_label="corrections", codename=f"{action}_correction")
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name="Editors"):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="corrections"))


class Migration(migrations.Migration):
    dependencies = [
        ("corrections", "0001_corrections_from_the_public"),
        ("sitewide", "0001_researchers_and_editors"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
