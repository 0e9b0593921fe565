"""List every stored quote that does not appear in its source's text.

Usage: python manage.py check_quotes

Each quote is checked by the rule every form, the seed loader and the models use
(`core.quotes.locate_quote`) against its source's text: an FOI answer's, or the text
recorded for a published document. Quotes from a document whose text has not been
recorded yet cannot be checked: they are counted, never passed over silently.
Exits non-zero when any quote is not found.
"""

from django.core.management.base import BaseCommand, CommandError

from core.quotes import locate_quote
from register.models import Evidence, Source


class Command(BaseCommand):
    help = "List every stored quote that does not appear in its source's text (exit status 1 if any)."

    def handle(self, *args, **options):
        sources = Source.objects.exclude(text="")
        texts = dict(sources.values_list("pk", "text"))
        labels = {source.pk: source.label for source in sources.only("kind", "title", "url")}
        checked, failed = 0, 0
        quotes = Evidence.objects.order_by("source_id", "id").values_list("pk", "source_id", "quote")
        unchecked = Evidence.objects.exclude(source_id__in=texts).count() if texts else Evidence.objects.count()
        for pk, source_id, quote in quotes.filter(source_id__in=texts).iterator():
            checked += 1
            if locate_quote(quote, texts[source_id]) is None:
                failed += 1
                self.stdout.write(f"Evidence {pk} ({labels[source_id]}): “{quote[:80]}” not found")
        if unchecked:
            self.stdout.write(f"{unchecked} quotes cite documents whose text has not been recorded: not checked.")
        if failed:
            raise CommandError(f"{failed} of {checked} quotes not found in their sources.")
        self.stdout.write(self.style.SUCCESS(f"All {checked} quotes found in their sources."))
