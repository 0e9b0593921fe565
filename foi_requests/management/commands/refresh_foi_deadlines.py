"""Recompute every FOI request's stored due date and working days taken.

Run it after upgrading the `holidays` package (a newly proclaimed bank holiday
changes deadlines), after changing a force's nation, or after a bulk update of
request dates that bypassed `FoiRequest.save()`.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from core.caching import bump_data_version

from ...models import FoiRequest


class Command(BaseCommand):
    help = "Recompute the stored due date and working days taken of every FOI request."

    def handle(self, *args, **options):
        changed = 0
        with transaction.atomic():
            for foi_request in FoiRequest.objects.select_related("force").iterator():
                before = (foi_request.due_date, foi_request.working_days_taken)
                foi_request.refresh_deadline()
                if (foi_request.due_date, foi_request.working_days_taken) != before:
                    FoiRequest.objects.filter(pk=foi_request.pk).update(
                        due_date=foi_request.due_date, working_days_taken=foi_request.working_days_taken
                    )
                    changed += 1
            if changed:
                transaction.on_commit(bump_data_version)  # update() sends no signals
        self.stdout.write(f"Updated the deadlines of {changed} FOI request(s).")
