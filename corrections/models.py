"""A correction sent by a member of the public: what is wrong, its source, and (if they
choose) who sent it. It is an editor's lead, never a fact: nothing in it is public, and
the register changes only when an editor edits the records themselves."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from register.models import originals_storage

from .records import RECORD_KIND_LABELS

# How long the sender's name and email are kept once an editor has handled their
# correction (the privacy notice says so): long enough to ask them a question about it.
CONTACT_RETENTION = datetime.timedelta(days=180)


class CorrectionKind(models.TextChoices):
    WRONG = "wrong", "Something the register says is wrong or incomplete"
    MISSING_ANSWER = "missing_answer", "An FOI answer the register does not have"


class CorrectionStatus(models.TextChoices):
    NEW = "new", "New"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"


class CorrectionQuerySet(models.QuerySet):
    def contact_details_past_retention(self, now: datetime.datetime | None = None):
        """Handled corrections whose sender's name or email is kept past `CONTACT_RETENTION`."""
        cutoff = (now or timezone.now()) - CONTACT_RETENTION
        return self.exclude(status=CorrectionStatus.NEW).filter(
            Q(handled_at__lt=cutoff) & (~Q(sender_name="") | ~Q(sender_email=""))
        )


class Correction(models.Model):
    received_at = models.DateTimeField(auto_now_add=True, db_index=True)
    kind = models.CharField(max_length=20, choices=CorrectionKind.choices, default=CorrectionKind.WRONG)
    record_kind = models.CharField(
        max_length=20, blank=True, choices=list(RECORD_KIND_LABELS.items()), help_text="The record it is about, if any."
    )
    record_id = models.PositiveBigIntegerField(null=True, blank=True)
    record_label = models.CharField(max_length=300, blank=True, help_text="The record's name when the correction came.")
    what_is_wrong = models.TextField("what is wrong")
    should_say = models.TextField("what it should say", blank=True)
    source_url = models.URLField("source address", max_length=2000, blank=True)
    # Kept with the sources' originals: a private storage, never a public folder.
    attachment = models.FileField(upload_to="corrections/%Y/%m/", storage=originals_storage, blank=True)
    sender_name = models.CharField("sender's name", max_length=200, blank=True)
    sender_email = models.EmailField("sender's email", blank=True)
    status = models.CharField(
        max_length=20, choices=CorrectionStatus.choices, default=CorrectionStatus.NEW, db_index=True
    )
    editor_note = models.TextField(
        "editor's note",
        blank=True,
        help_text="What you did about it and why: which records you changed, or why it was rejected.",
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)

    objects = CorrectionQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(source_url="") | ~Q(attachment=""), name="correction_has_a_source"),
            models.CheckConstraint(
                condition=Q(record_kind="", record_id__isnull=True) | (~Q(record_kind="") & Q(record_id__isnull=False)),
                name="correction_names_a_whole_record_or_none",
            ),
            models.CheckConstraint(
                condition=Q(status=CorrectionStatus.NEW) | Q(handled_at__isnull=False),
                name="correction_handled_has_a_date",
            ),
        ]

    def __str__(self):
        about = self.record_label or self.get_kind_display()
        return f"Correction {self.pk} about {about}"

    @property
    def record_reference(self) -> str:
        return f"{self.record_kind}:{self.record_id}" if self.record_kind else ""

    def mark_handled(self, user, *, now: datetime.datetime | None = None) -> None:
        """Stamp who handled it and when (the caller saves)."""
        self.handled_by = user
        self.handled_at = now or timezone.now()
