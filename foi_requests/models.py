"""FOI requests to forces, the exemptions they cite and the tool categories
they asked about. Each request's answer is a `register.Source`, which evidence
quotes: the request keeps it in step when saved."""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from simple_history.models import HistoricalRecords

from register.date_rules import foi_request_errors
from register.models import (
    FoiAct,
    Force,
    PublishedQuerySet,
    Question,
    RegisterRecord,
    Source,
    SourceKind,
    ToolCategory,
)

from .deadlines import DeadlineStatus, clock_start, deadline_status, due_date, working_days_between
from .redaction import names_in_letter, personal_data_found, redact_personal_data


class FoiOutcome(models.TextChoices):
    """How a request ended, with the codes WhatDoTheyKnow (Alaveteli) uses for
    request states, so records can be matched against request-tracking sites."""

    SUCCESSFUL = "successful", "Information provided"
    PARTIALLY_SUCCESSFUL = "partially_successful", "Partially provided"
    REFUSED = "refused", "Refused"
    NOT_HELD = "not_held", "Information not held"
    NEITHER_CONFIRM_NOR_DENY = "neither_confirm_nor_deny", "Neither confirmed nor denied"
    AWAITING_RESPONSE = "awaiting_response", "Awaiting response"
    WITHDRAWN = "withdrawn", "Withdrawn"
    INTERNAL_REVIEW = "internal_review", "Under internal review"


class ReviewOutcome(models.TextChoices):
    """What an internal review of the answer decided."""

    UPHELD = "upheld", "Original answer upheld"
    PARTLY_OVERTURNED = "partly_overturned", "Partly overturned"
    OVERTURNED = "overturned", "Overturned"


class Exemption(models.Model):
    """A section of FOIA 2000 or FOISA 2002 under which information is withheld,
    e.g. FOIA s12(1), the cost limit."""

    act = models.CharField(max_length=10, choices=FoiAct.choices, default=FoiAct.FOIA)
    section = models.CharField(max_length=20, help_text="As cited, e.g. “12(1)” or “31(1)(a)”.")
    name = models.CharField(max_length=200, help_text="What it covers, e.g. “Cost of compliance exceeds the limit”.")
    # The questions refused under it. A request's own `exemptions` are those of its questions, where recorded.
    questions = models.ManyToManyField(Question, blank=True, related_name="exemptions")

    class Meta:
        ordering = ["act", "section"]
        constraints = [models.UniqueConstraint(fields=["act", "section"], name="unique_exemption_per_act")]

    def __str__(self):
        return f"{self.act} s{self.section} ({self.name})"

    @property
    def citation(self) -> str:
        return f"{self.act} s{self.section}"


class FoiRequestQuerySet(PublishedQuerySet):
    published_paths = ("", "force__")

    def bulk_create(self, objs, *args, **kwargs):
        """bulk_create() skips save(), which makes each request's answer source: made here instead."""
        objs = list(objs)
        needing = [request for request in objs if request.source_id is None]
        sources = Source.objects.bulk_create([Source(**request.source_values()) for request in needing])
        for request, source in zip(needing, sources, strict=True):
            request.source = source
        return super().bulk_create(objs, *args, **kwargs)

    # How requests stand against their due dates, each rule defined once, on the
    # stored `due_date`: as a condition (a filter, its negation, a conditional
    # count) and as a method in the domain's words. The lists' filters and the
    # FOI statistics use them; `deadlines.deadline_status()` states the same
    # rules for one request in hand, and `with_deadline_status()` matches it.

    def answered_on_time_condition(self) -> Q:
        """Answered on or before its due date (both known)."""
        return Q(date_responded__lte=models.F("due_date"))

    def answered_late_condition(self) -> Q:
        """Answered after its due date (both known)."""
        return Q(date_responded__gt=models.F("due_date"))

    def overdue_condition(self, today=None) -> Q:
        """Still awaiting an answer after its due date."""
        return Q(
            outcome=FoiOutcome.AWAITING_RESPONSE,
            date_responded__isnull=True,
            due_date__lt=today or timezone.localdate(),
        )

    def pending_condition(self, today=None) -> Q:
        """Still awaiting an answer, not yet due."""
        return Q(
            outcome=FoiOutcome.AWAITING_RESPONSE,
            date_responded__isnull=True,
            due_date__gte=today or timezone.localdate(),
        )

    def answered_on_time(self):
        return self.filter(self.answered_on_time_condition())

    def answered_late(self):
        return self.filter(self.answered_late_condition())

    def overdue(self, today=None):
        return self.filter(self.overdue_condition(today))

    def with_deadline_status(self, today=None):
        """Each request annotated with `deadline`, its `DeadlineStatus` value (what
        `FoiRequest.deadline_status()` gives for it), computed by the database."""
        today = today or timezone.localdate()
        return self.annotate(
            deadline=models.Case(
                models.When(self.answered_on_time_condition(), then=models.Value(DeadlineStatus.ON_TIME)),
                models.When(self.answered_late_condition(), then=models.Value(DeadlineStatus.LATE)),
                models.When(self.overdue_condition(today), then=models.Value(DeadlineStatus.OVERDUE)),
                models.When(self.pending_condition(today), then=models.Value(DeadlineStatus.PENDING)),
                default=models.Value(DeadlineStatus.UNKNOWN),
                output_field=models.CharField(),
            )
        )


class FoiRequest(RegisterRecord):
    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="foi_requests", verbose_name="authority")
    reference = models.CharField(
        max_length=100, blank=True, help_text="The authority's reference as on its reply, e.g. “DPO/FOI/002128/22”."
    )
    other_references = models.CharField(
        max_length=300,
        blank=True,
        help_text="Other numbers it goes by (a disclosure-log number, an earlier request), separated by commas.",
    )
    slug = models.SlugField(
        max_length=150, unique=True, blank=True, help_text="Left empty, it is made from the authority and reference."
    )
    title = models.CharField(max_length=300, help_text="The request's subject, e.g. “Predictive Policing”.")
    request_text = models.TextField(blank=True, help_text="The questions as sent, with their numbers.")
    response_text = models.TextField("answer text", blank=True, help_text="The authority's answer as received.")
    date_received = models.DateField(null=True, blank=True, help_text="The day the authority received the request.")
    date_responded = models.DateField(null=True, blank=True, help_text="The date on the authority's answer.")
    # Indexed first in `foi_request_facets`, which every count by outcome reads alone.
    outcome = models.CharField(max_length=30, choices=FoiOutcome.choices, default=FoiOutcome.AWAITING_RESPONSE)
    exemptions = models.ManyToManyField(
        Exemption, blank=True, related_name="foi_requests", help_text="Exemptions the answer cites."
    )
    source_url = models.URLField(
        max_length=500, blank=True, help_text="Where the answer is published: a disclosure log or WhatDoTheyKnow page."
    )
    source = models.OneToOneField(
        Source,
        on_delete=models.PROTECT,
        editable=False,
        related_name="foi_request",
        help_text="The answer as a source that evidence quotes, kept in step by save().",
    )
    source_document = models.CharField(
        max_length=200,
        blank=True,
        help_text="File name of the copy kept in data/sources, for documents the register holds.",
    )
    # Personal data of whoever asked. Never shown publicly or in the anonymous
    # API (UK GDPR); kept only to redact it from the texts that are shown.
    requester_name = models.CharField(
        max_length=200, blank=True, help_text="Private. Used only to hide it from public pages."
    )
    requester_email = models.EmailField(blank=True, help_text="Private. Used only to hide it from public pages.")

    # Deadlines (see deadlines.py for the law).
    clarification_requested = models.DateField(
        null=True, blank=True, help_text="The day the authority asked the requester to clarify the request."
    )
    clarification_received = models.DateField(
        null=True, blank=True, help_text="The day it received the clarification: the 20 working days start again."
    )
    extended_due_date = models.DateField(
        "public interest extension to",
        null=True,
        blank=True,
        help_text="FOIA s10(3) only: the later deadline the authority gave to consider the public interest.",
    )
    # Kept in step with the dates above by save(), so lists can filter and sort by them.
    due_date = models.DateField(null=True, blank=True, editable=False, db_index=True)
    working_days_taken = models.PositiveIntegerField(null=True, blank=True, editable=False)
    internal_review_requested = models.DateField(null=True, blank=True)
    internal_review_completed = models.DateField(null=True, blank=True)
    internal_review_outcome = models.CharField(max_length=20, choices=ReviewOutcome.choices, blank=True)
    ico_decision_notice = models.CharField(
        "ICO decision notice",
        max_length=50,
        blank=True,
        help_text="The Information Commissioner's (or the Scottish Information Commissioner's) decision "
        "notice reference, e.g. “IC-123456-A1B2” or “FS50123456”.",
    )
    # What `import_foi_response` read, kept for the researcher checking the draft.
    imported_text = models.TextField(blank=True, help_text="The full text of the imported answer document.")
    imported_text_sha256 = models.CharField(max_length=64, blank=True, editable=False, db_index=True)

    objects = FoiRequestQuerySet.as_manager()
    # The exemptions are kept with each version, so that restoring one brings them back as they were.
    history = HistoricalRecords(excluded_fields=["requester_name", "requester_email"], m2m_fields=["exemptions"])

    class Meta:
        verbose_name = "FOI request"
        permissions = [("publish_foirequest", "Can publish and unpublish FOI requests")]
        ordering = ["-date_responded", "-date_received", "force__name"]
        indexes = [
            # Date range filters and the default ordering of the FOI list.
            models.Index(fields=["date_responded", "date_received"], name="foi_request_by_dates"),
            models.Index(fields=["date_received"], name="foi_request_by_received"),
            models.Index(fields=["force", "outcome"], name="foi_request_by_force_outcome"),
            # Filtered lists and facet counts read this index alone, never the table with its long
            # texts: every facet but the exemptions and categories is over these columns, and so are
            # the FOI statistics. Key columns, not INCLUDE: SQLite builds an index on its key columns
            # only (the id: PostgreSQL's counts).
            models.Index(
                fields=[
                    "outcome",
                    "force",
                    "is_published",
                    "date_received",
                    "date_responded",
                    "due_date",
                    "working_days_taken",
                    "source",
                    "id",
                ],
                name="foi_request_facets",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["force", "reference"],
                condition=~Q(reference=""),
                name="unique_reference_per_authority",
            ),
            models.CheckConstraint(
                condition=Q(date_responded__isnull=True)
                | Q(date_received__isnull=True)
                | Q(date_responded__gte=models.F("date_received")),
                name="foi_answer_not_before_receipt",
            ),
        ]

    def __str__(self):
        return f"{self.reference or 'No reference'}: {self.title} ({self.force})"

    def get_absolute_url(self):
        return reverse("foi_requests:detail", args=[self.slug])

    def citation_title(self) -> str:
        """How a citation names it (`core.citing`): its reference, its force, its subject."""
        reference = f" {self.reference}" if self.reference else ""
        return f"FOI request{reference} to {self.force.name}: {self.title}"

    def clean(self):
        if self.date_received and self.date_responded and self.date_responded < self.date_received:
            raise ValidationError({"date_responded": "The answer cannot be dated before the request was received."})
        errors = {}
        if self.clarification_received and self.date_received and self.clarification_received < self.date_received:
            errors["clarification_received"] = "The clarification cannot arrive before the request."
        if self.clarification_received and not self.clarification_requested:
            errors["clarification_requested"] = "Give the day the authority asked for the clarification."
        if self.extended_due_date and self.force_id and self.force.foi_act == FoiAct.FOISA:
            errors["extended_due_date"] = "FOISA 2002 allows no public interest extension of the deadline."
        if (
            self.internal_review_completed
            and self.internal_review_requested
            and self.internal_review_completed < self.internal_review_requested
        ):
            errors["internal_review_completed"] = "The review cannot be completed before it was requested."
        if self.internal_review_outcome and not self.internal_review_completed:
            errors["internal_review_completed"] = "Give the day the review was completed."
        if self.is_published:
            errors.update(self.personal_data_errors())
        if self.source_id and not self.quotes_checked_by_form and (lost := self.quotes_lost()):
            # The answer's quotes are checked against it as the public reads it (its source's text).
            message = self.source.lost_quotes_message(lost)
            errors["response_text"] = [errors["response_text"], message] if "response_text" in errors else message
        impossible = foi_request_errors(
            today=timezone.localdate(),
            date_received=self.date_received,
            date_responded=self.date_responded,
            clarification_requested=self.clarification_requested,
            internal_review_requested=self.internal_review_requested,
        )
        errors = {**impossible, **errors}
        if errors:
            raise ValidationError(errors)

    # Set (never stored) by the admin's evidence inline, which checks each quote of the answer,
    # as the editor may be correcting it in the same form, against the answer as posted.
    quotes_checked_by_form = False

    def quotes_lost(self) -> list[str]:
        """The quotes of the answer that the answer's text as now edited would lose."""
        return self.source.quotes_lost_by(self.public_response_text)

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = self.build_slug()
        self.refresh_deadline()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "due_date", "working_days_taken", "source"}
        with transaction.atomic():
            self.keep_source()
            super().save(*args, **kwargs)

    def source_values(self) -> dict:
        """What evidence citing this answer shows of it: a copy kept in step by save()."""
        return {
            "kind": SourceKind.FOI_ANSWER,
            "title": self.reference or self.title,
            "slug": self.slug,
            "url": self.get_absolute_url(),
            "force_id": self.force_id,
            "is_published": self.is_published,
            # What its quotes are checked against and their places refer to: the answer as the public reads it.
            "text": self.public_response_text,
            "published_url": self.source_url,
            # What the facts it supports are "as at".
            "dated": self.date_responded,
        }

    def keep_source(self) -> None:
        """Create the answer's source, or bring it in step with the request (saved only when it differs)."""
        values = self.source_values()
        # A request restored from its history may name a source deleted with it.
        source = Source.objects.filter(pk=self.source_id).first() if self.source_id else None
        if source is None:
            self.source = Source.objects.create(**values)
            return
        if any(getattr(source, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(source, name, value)
            source.save()

    def apply_questions(self) -> None:
        """Bring the request's outcome, exemptions and categories asked in step with its
        questions, where they are recorded (call it, in the same transaction, after writing
        them): the request's own values are then a summary of its questions, kept exact."""
        from .outcomes import request_outcome

        questions = list(self.source.questions.prefetch_related("exemptions", "categories"))
        if not questions:
            return
        outcome = request_outcome([question.outcome for question in questions], self.outcome)
        if outcome != self.outcome:
            self.outcome = outcome
            self.save(update_fields=["outcome", "updated_at"])
        self.exemptions.set({exemption for question in questions for exemption in question.exemptions.all()})
        categories = {row.category for question in questions for row in question.categories.all()}
        self.categories_asked.exclude(category__in=categories).delete()
        have = set(self.categories_asked.values_list("category", flat=True))
        CategoryAsked.objects.bulk_create(
            CategoryAsked(foi_request=self, category=category) for category in sorted(categories - have)
        )

    @property
    def foi_act(self) -> str:
        return self.force.foi_act

    @property
    def clock_started(self):
        """The day the 20 working days follow: receipt, or receipt of the clarification."""
        return clock_start(self.date_received, self.clarification_received)

    def refresh_deadline(self) -> None:
        """Recompute `due_date` and `working_days_taken` from the dates and the authority's Act."""
        for name in ("date_received", "date_responded", "clarification_received", "extended_due_date"):
            # Dates given as ISO text (fixtures, scripts) become dates before the arithmetic.
            setattr(self, name, self._meta.get_field(name).to_python(getattr(self, name)))
        act = self.foi_act
        self.due_date = due_date(
            self.date_received,
            act,
            clarification_received=self.clarification_received,
            extended_to=self.extended_due_date,
        )
        start = self.clock_started
        self.working_days_taken = (
            working_days_between(start, self.date_responded, act) if start and self.date_responded else None
        )

    def deadline_status(self, today=None) -> str:
        return deadline_status(
            self.due_date,
            self.date_responded,
            awaiting=self.outcome == FoiOutcome.AWAITING_RESPONSE,
            today=today or timezone.localdate(),
        )

    @property
    def deadline_status_label(self) -> str:
        return DeadlineStatus.LABELS[self.deadline_status()]

    def build_slug(self) -> str:
        base = slugify(f"{self.force.slug} {self.reference or self.title}")[:140] or "request"
        slug, n = base, 2
        while FoiRequest.objects.filter(slug=slug).exclude(pk=self.pk).exists():
            slug, n = f"{base}-{n}", n + 1
        return slug

    @property
    def references(self) -> list[str]:
        others = [ref.strip() for ref in self.other_references.split(",") if ref.strip()]
        return [self.reference, *others] if self.reference else others

    def redact(self, text: str, *, from_requester: bool = False) -> str:
        """A text of this request (its letter, its answer, a question) as the public reads it:
        without the requester's name and address (`from_requester`: a text the requester wrote)."""
        # A full name the requester signed their request with is theirs in the answer too.
        signed = [name for name in names_in_letter(self.request_text, from_requester=True) if len(name.split()) > 1]
        names = [self.requester_name, *signed]
        return redact_personal_data(text, names=names, emails=[self.requester_email], from_requester=from_requester)

    @property
    def public_request_text(self) -> str:
        return self.redact(self.request_text, from_requester=True)

    @property
    def public_response_text(self) -> str:
        return self.redact(self.response_text)

    def personal_data_errors(self) -> dict[str, str]:
        """Personal data the redaction rules detect but could not remove from the public texts, by field."""
        errors = {}
        for field, text, from_requester in (
            ("request_text", self.public_request_text, True),
            ("response_text", self.public_response_text, False),
        ):
            if reasons := personal_data_found(text, from_requester=from_requester):
                errors[field] = "Not published: the public text would still hold personal data: " + "; ".join(reasons)
        return errors


class CategoryAsked(models.Model):
    """A tool category an FOI request's questions covered. A refusal or a "not
    held" then becomes a fact about that force and category, not silence."""

    foi_request = models.ForeignKey(FoiRequest, on_delete=models.CASCADE, related_name="categories_asked")
    category = models.CharField(max_length=20, choices=ToolCategory.choices)

    class Meta:
        verbose_name = "category asked about"
        verbose_name_plural = "categories asked about"
        constraints = [
            models.UniqueConstraint(fields=["foi_request", "category"], name="category_asked_once_per_request")
        ]
        # The "asked about" filter and the transparency matrix look up by category.
        indexes = [models.Index(fields=["category", "foi_request"], name="category_asked_by_category")]

    def __str__(self):
        return self.get_category_display()


@receiver(post_delete, sender=FoiRequest)
def delete_answer_source(sender, instance: FoiRequest, **kwargs) -> None:
    """The answer's source goes with its request; evidence quoting it protects both (PROTECT)."""
    Source.objects.filter(pk=instance.source_id).delete()
