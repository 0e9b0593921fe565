"""Each FOI answer's source takes its text, the answer as the public reads it (what
`FoiRequest.source_values()` keeps in step from now on), and each quote the place it
is found at in its source's text. Here, not in `register`, because only this app
knows how an answer is redacted; a migration of its own, apart from the one adding
the columns (on PostgreSQL a table cannot be altered in the transaction that filled it)."""

from django.db import migrations

from core.quotes import locate_quote


def public_response_text(row) -> str:
    # The redaction rules are the model's (they change as they improve): an unsaved request
    # holding the row's texts and requester gives the text exactly as the model does.
    from foi_requests.models import FoiRequest

    request = FoiRequest(
        request_text=row["request_text"],
        response_text=row["response_text"],
        requester_name=row["requester_name"],
        requester_email=row["requester_email"],
    )
    return request.public_response_text


def fill(apps, schema_editor):
    FoiRequest = apps.get_model("foi_requests", "FoiRequest")
    Source = apps.get_model("register", "Source")
    Evidence = apps.get_model("register", "Evidence")
    rows = FoiRequest.objects.values(
        "source_id", "request_text", "response_text", "requester_name", "requester_email"
    ).order_by("pk")
    texts = {}
    for row in rows.iterator():
        texts[row["source_id"]] = public_response_text(row)
        Source.objects.filter(pk=row["source_id"]).update(text=texts[row["source_id"]])
    quotes = Evidence.objects.filter(source_id__in=texts).values_list("pk", "source_id", "quote")
    for pk, source_id, quote in quotes.iterator():
        anchor = locate_quote(quote, texts[source_id])
        if anchor is not None:
            # As `Evidence.set_anchor()` keeps it: the context without white space at its ends.
            Evidence.objects.filter(pk=pk).update(
                quote_start=anchor.start,
                quote_end=anchor.end,
                quote_prefix=anchor.prefix.strip(),
                quote_suffix=anchor.suffix.strip(),
            )


class Migration(migrations.Migration):
    dependencies = [
        ("foi_requests", "0011_evidence_moves_to_register"),
        ("register", "0010_source_text_and_quote_anchors"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
