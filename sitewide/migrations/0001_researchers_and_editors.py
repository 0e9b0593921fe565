"""The two editorial groups and their permissions.

(Formerly the `editorial` app's migration: on a database that ran it, this one
finds the groups and adds what the models added since, such as sources.)

Researchers create and edit drafts, record FOI requests and evidence, and read
the history. Editors can do all that, and also publish and unpublish, delete,
restore earlier versions and deleted records, and import in bulk.
"""

from django.db import migrations

RECORDS = {
    "register": ["force", "supplier", "tool", "deployment", "assessment", "source"],
    "foi_requests": ["foirequest"],
}
SUPPORTING = {"register": ["evidence"], "foi_requests": ["categoryasked", "exemption"]}
HISTORY = {
    "register": [
        "historicalforce",
        "historicalsupplier",
        "historicaltool",
        "historicaldeployment",
        "historicalassessment",
        "historicalsource",
        "historicalevidence",
    ],
    "foi_requests": ["historicalfoirequest"],
}


def grant(Permission, group, app_label, models, actions):
    for model in models:
        for action in actions:
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=f"{action}_{model}"))


def create_groups(apps, schema_editor):
    from django.contrib.auth.management import create_permissions
    from django.contrib.contenttypes.management import create_contenttypes

    # Permissions are normally created after all migrations; the groups need them now.
    for label in ("register", "foi_requests"):
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_contenttypes(app_config, verbosity=0, apps=apps)
        create_permissions(app_config, verbosity=0, apps=apps)

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    researchers, _ = Group.objects.get_or_create(name="Researchers")
    editors, _ = Group.objects.get_or_create(name="Editors")
    for group in (researchers, editors):
        for label, models in RECORDS.items():
            grant(Permission, group, label, models, ["add", "change", "view"])
        for label, models in SUPPORTING.items():
            grant(Permission, group, label, models, ["add", "change", "view", "delete"])
        for label, models in HISTORY.items():
            grant(Permission, group, label, models, ["view"])
    for label, models in RECORDS.items():
        grant(Permission, editors, label, models, ["delete", "publish"])


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Researchers", "Editors"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("register", "0009_evidence_cites_sources"),
        ("foi_requests", "0011_evidence_moves_to_register"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
