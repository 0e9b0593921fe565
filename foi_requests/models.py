"""FOI requests to forces, the exemptions they cite, and the evidence that ties
each register fact to the passage of a source that supports it."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from simple_history.models import HistoricalRecords

from register.models import (
    Assessment,
    Deployment,
    FoiAct,
    Force,
    PublishedQuerySet,
    RegisterRecord,
    Supplier,
    Tool,
    ToolCategory,
)

from .deadlines import DeadlineStatus, clock_start, deadline_status, due_date, working_days_between
from .redaction import redact_personal_data


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
    outcome = models.CharField(
        max_length=30, choices=FoiOutcome.choices, default=FoiOutcome.AWAITING_RESPONSE, db_index=True
    )
    exemptions = models.ManyToManyField(
        Exemption, blank=True, related_name="foi_requests", help_text="Exemptions the answer cites."
    )
    source_url = models.URLField(
        max_length=500, blank=True, help_text="Where the answer is published: a disclosure log or WhatDoTheyKnow page."
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
    history = HistoricalRecords(excluded_fields=["requester_name", "requester_email"])

    class Meta:
        verbose_name = "FOI request"
        permissions = [("publish_foirequest", "Can publish and unpublish FOI requests")]
        ordering = ["-date_responded", "-date_received", "force__name"]
        indexes = [
            # Date range filters and the default ordering of the FOI list.
            models.Index(fields=["date_responded", "date_received"], name="foi_request_by_dates"),
            models.Index(fields=["date_received"], name="foi_request_by_received"),
            models.Index(fields=["force", "outcome"], name="foi_request_by_force_outcome"),
            # Filtered lists and facet counts read this index alone (PostgreSQL), never the table
            # with its long texts: every facet but the exemptions and categories is over these columns,
            # and so are the FOI statistics.
            models.Index(
                fields=["outcome", "force"],
                include=["id", "is_published", "date_received", "date_responded", "due_date", "working_days_taken"],
                name="foi_request_facets",
            ),
            # Citing a request as a source (Evidence.source_label) for every fact of an export, from the
            # index alone (PostgreSQL): the table holds the long request and response texts.
            models.Index(
                fields=["id"], include=["reference", "title", "is_published", "force"], name="foi_request_as_source"
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
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = self.build_slug()
        self.refresh_deadline()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "due_date", "working_days_taken"}
        super().save(*args, **kwargs)

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

    def _redact(self, text: str) -> str:
        return redact_personal_data(text, names=[self.requester_name], emails=[self.requester_email])

    @property
    def public_request_text(self) -> str:
        return self._redact(self.request_text)

    @property
    def public_response_text(self) -> str:
        return self._redact(self.response_text)


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


class EvidenceQuerySet(models.QuerySet):
    def published(self):
        """Evidence the public may see: from a published source (never an
        unpublished FOI request) about a record the public may see."""
        public_record = (
            Tool.objects.published_condition("tool__")
            | Supplier.objects.published_condition("supplier__")
            | Deployment.objects.published_condition("deployment__")
            | Assessment.objects.published_condition("assessment__")
        )
        return self.published_under_published().filter(public_record)

    def published_under_published(self):
        """`published()` for the evidence of records known to be published (a prefetch
        onto published tools): only the source is left to check."""
        return self.filter(Q(foi_request__isnull=True) | FoiRequest.objects.published_condition("foi_request__"))


class Evidence(models.Model):
    """The passage of a source that supports one register fact.

    The source is an FOI request (with the number of the question answered) or a
    published document named by its URL. The fact is one record (a tool, a
    deployment, an assessment or a supplier) and, optionally, which of its fields
    the passage supports; empty means the record as a whole (that it exists).
    """

    foi_request = models.ForeignKey(
        FoiRequest, on_delete=models.PROTECT, null=True, blank=True, related_name="evidence"
    )
    question_number = models.CharField(
        max_length=20, blank=True, help_text="The question answered, as numbered in the request, e.g. “1g”."
    )
    document_title = models.CharField(
        max_length=300, blank=True, help_text="For a published document rather than an FOI answer."
    )
    document_url = models.URLField(
        max_length=500, blank=True, help_text="For a published document rather than an FOI answer."
    )
    quote = models.TextField(help_text="The passage, word for word, that supports the fact.")

    tool = models.ForeignKey("register.Tool", on_delete=models.CASCADE, null=True, blank=True, related_name="evidence")
    deployment = models.ForeignKey(
        "register.Deployment", on_delete=models.CASCADE, null=True, blank=True, related_name="evidence"
    )
    assessment = models.ForeignKey(
        "register.Assessment", on_delete=models.CASCADE, null=True, blank=True, related_name="evidence"
    )
    supplier = models.ForeignKey(
        "register.Supplier", on_delete=models.CASCADE, null=True, blank=True, related_name="evidence"
    )
    field = models.CharField(
        "fact supported",
        max_length=50,
        blank=True,
        help_text="The field the passage supports, e.g. “started” or “status”. Empty: the record as a whole.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = EvidenceQuerySet.as_manager()
    history = HistoricalRecords()

    TARGETS = ("tool", "deployment", "assessment", "supplier")

    class Meta:
        verbose_name_plural = "evidence"
        ordering = ["foi_request_id", "question_number", "id"]
        indexes = [
            # A deployment's sources in their order, from the index alone (PostgreSQL), for the CSV export.
            models.Index(
                fields=["deployment", "foi_request", "question_number", "id"],
                include=["document_title", "document_url"],
                condition=Q(deployment__isnull=False),
                name="evidence_of_deployment",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(tool__isnull=False, deployment__isnull=True, assessment__isnull=True, supplier__isnull=True)
                    | Q(tool__isnull=True, deployment__isnull=False, assessment__isnull=True, supplier__isnull=True)
                    | Q(tool__isnull=True, deployment__isnull=True, assessment__isnull=False, supplier__isnull=True)
                    | Q(tool__isnull=True, deployment__isnull=True, assessment__isnull=True, supplier__isnull=False)
                ),
                name="evidence_supports_exactly_one_record",
            ),
            models.CheckConstraint(
                condition=Q(foi_request__isnull=False) | ~Q(document_url=""),
                name="evidence_has_a_source",
            ),
        ]

    def __str__(self):
        return f"{self.source_label}: “{self.quote[:60]}”"

    @property
    def target(self):
        return next((getattr(self, name) for name in self.TARGETS if getattr(self, f"{name}_id")), None)

    @property
    def source_label(self) -> str:
        name = (self.foi_request.reference or self.foi_request.title) if self.foi_request_id else None
        return self.label_source(name, self.question_number, self.document_title, self.document_url)

    @staticmethod
    def label_source(foi_request_name: str | None, question_number: str, document_title: str, document_url: str) -> str:
        """How a source is cited, e.g. "FOI DPO/FOI/002128/22, question 1g": the FOI
        request's reference or title (None: no FOI request), else the document."""
        if foi_request_name is not None:
            label = f"FOI {foi_request_name}"
            return f"{label}, question {question_number}" if question_number else label
        return document_title or document_url

    @property
    def field_label(self) -> str:
        """The supported field in words, e.g. "date conducted"; "" for the record itself."""
        if not self.field or self.target is None:
            return ""
        return str(self.target._meta.get_field(self.field).verbose_name)

    @property
    def target_url(self) -> str:
        """The public page showing the supported fact ("" when it has none)."""
        record = self.target
        if self.assessment_id:
            return record.deployment.get_absolute_url()
        return record.get_absolute_url() if hasattr(record, "get_absolute_url") else ""

    @property
    def source_url(self) -> str:
        if self.foi_request_id:
            return self.foi_request.get_absolute_url()
        return self.document_url

    def _linked(self, name: str) -> bool:
        # In an admin inline the parent may not be saved yet: it is set, without an id.
        field = self._meta.get_field(name)
        return getattr(self, field.attname) is not None or (field.is_cached(self) and getattr(self, name) is not None)

    def clean(self):
        chosen = [name for name in self.TARGETS if self._linked(name)]
        if len(chosen) != 1:
            raise ValidationError(
                "Link the passage to exactly one record: a tool, a deployment, an assessment or a supplier."
            )
        if not self._linked("foi_request") and not self.document_url:
            raise ValidationError("Give the source: an FOI request, or the URL of a published document.")
        if self.field:
            target_model = self._meta.get_field(chosen[0]).related_model
            names = {f.name for f in target_model._meta.concrete_fields}
            if self.field not in names:
                raise ValidationError({"field": f"{target_model._meta.verbose_name} has no field “{self.field}”."})
