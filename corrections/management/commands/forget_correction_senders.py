"""Erase the name and email of those who sent corrections handled more than
`CONTACT_RETENTION` ago, as the privacy notice promises. Run daily (cron or a scheduler):

    python manage.py forget_correction_senders
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from corrections.models import CONTACT_RETENTION, Correction


class Command(BaseCommand):
    help = "Erase the contact details of correction senders kept past their retention period."

    def handle(self, *args, **options):
        with transaction.atomic():
            due = Correction.objects.contact_details_past_retention()
            count = due.update(sender_name="", sender_email="")
        self.stdout.write(
            f"Erased the contact details of {count} correction(s) handled over {CONTACT_RETENTION.days} days ago."
        )
