"""Versions recorded before the history kept exemptions get the request's exemptions as they
are now: restoring such a version then keeps the exemptions, as restoring did before, instead
of clearing them, and the next change's differences are measured from them. (What they were
at the time was not recorded; versions of deleted requests stay without.)"""

from django.db import migrations

BATCH = 2000


def forwards(apps, schema_editor):
    FoiRequest = apps.get_model("foi_requests", "FoiRequest")
    HistoricalFoiRequest = apps.get_model("foi_requests", "HistoricalFoiRequest")
    HistoricalLink = apps.get_model("foi_requests", "HistoricalFoiRequest_exemptions")
    Link = FoiRequest.exemptions.through

    links = {}  # request id: [(link id, exemption id)]
    for link_id, request_id, exemption_id in Link.objects.values_list("id", "foirequest_id", "exemption_id").iterator():
        links.setdefault(request_id, []).append((link_id, exemption_id))
    rows = []
    for history_id, request_id in HistoricalFoiRequest.objects.values_list("history_id", "id").iterator():
        for link_id, exemption_id in links.get(request_id, ()):
            rows.append(
                HistoricalLink(id=link_id, foirequest_id=request_id, exemption_id=exemption_id, history_id=history_id)
            )
        if len(rows) >= BATCH:
            HistoricalLink.objects.bulk_create(rows)
            rows = []
    HistoricalLink.objects.bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [
        ("foi_requests", "0015_history_keeps_exemptions"),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
