"""The researchers' admin for FOI requests, exemptions and evidence.

A researcher records a request and, in the same form, links each passage of
the answer to the register fact it supports (creating the tool or deployment
through the "+" beside the field if it is new).
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.checks import InlineModelAdminChecks
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from simple_history.admin import SimpleHistoryAdmin

from core.admin_filters import SelectListFilter
from core.admin_mixins import EditorialAdminMixin, MergingInlineFormSet
from register.admin import EVIDENCE_TARGETS, FactChoiceMixin
from register.models import (
    SAFEGUARD_KINDS,
    Evidence,
    Question,
    QuestionCategory,
    QuestionOutcome,
    QuestionSafeguard,
    Source,
    SourceKind,
    ToolCategory,
)
from register.sourcing import facts_left_unsourced

from .admin_facts import fact_from_passage_view
from .admin_import import import_view
from .models import CategoryAsked, Exemption, FoiRequest


class CategoryAskedInline(admin.TabularInline):
    """For a request without recorded questions: with questions, their kinds of tool are the request's."""

    model = CategoryAsked
    extra = 0
    verbose_name_plural = "tool categories the questions covered (while its questions are not recorded below)"


class AnswerEvidenceFormSet(MergingInlineFormSet):
    """The evidence quoting the request's answer: the formset of its source. A new
    request gets its source when saved, before its inlines are (`save_formset`).

    Its quotes are checked against the answer as posted in the same form (the text the
    source takes when the request is saved), on a new request as on a change: the
    request's form is validated, filling in the request, before its inlines are."""

    def __init__(self, data=None, files=None, instance=None, **kwargs):
        self.foi_request = instance
        if instance is not None:
            # Each quote is checked here, as posted, so the request's own check of them stands aside.
            instance.quotes_checked_by_form = True
        source = instance.source if instance is not None and instance.source_id else Source(kind=SourceKind.FOI_ANSWER)
        super().__init__(data, files, instance=source, **kwargs)

    def full_clean(self):
        if self.foi_request is not None:
            self.instance.title = self.instance.title or self.foi_request.reference or self.foi_request.title
            self.instance.text = self.foi_request.public_response_text
        super().full_clean()

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        # A quote moved or deleted here may be a published record's only source of a fact.
        kept = [form.instance for form in self.forms if not self._should_delete_form(form) and form.has_changed()]
        deleted = [form.instance for form in self.forms if self._should_delete_form(form) and form.instance.pk]
        if reasons := facts_left_unsourced(saved=kept, deleted=deleted):
            raise ValidationError(reasons, code="unsourced")


class AnswerEvidenceChecks(InlineModelAdminChecks):
    def _check_relation(self, obj, parent_model):
        # Evidence points to the answer's source, not to the request itself.
        return super()._check_relation(obj, Source)


class RequestEvidenceInline(FactChoiceMixin, admin.StackedInline):
    model = Evidence
    fact_models = EVIDENCE_TARGETS
    fk_name = "source"
    formset = AnswerEvidenceFormSet
    checks_class = AnswerEvidenceChecks
    fields = ["question_number", "quote", "tool", "deployment", "assessment", "supplier", "field"]
    autocomplete_fields = ["tool", "deployment", "assessment", "supplier"]
    extra = 0
    verbose_name = "passage supporting a register fact"
    verbose_name_plural = "evidence: passages of this answer and the facts they support"

    def get_formset(self, request, obj=None, **kwargs):
        # Built against the source (the model evidence points to), then bound to the request's source.
        parent_model, self.parent_model = self.parent_model, Source
        try:
            return super().get_formset(request, obj, **kwargs)
        finally:
            self.parent_model = parent_model


class QuestionForm(forms.ModelForm):
    """A question with what it asks about and the exemptions its answer cites, each
    chosen from a list (the kinds of tool and of safeguard are rows of their own)."""

    categories = forms.MultipleChoiceField(
        label="Kinds of tool asked about",
        choices=ToolCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    safeguards = forms.MultipleChoiceField(
        label="Kinds of safeguard asked about",
        choices=[(kind.value, kind.label) for kind in SAFEGUARD_KINDS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="A deployment's safeguard counts as asked about only where a question to its force covered "
        "both its kind of tool and that safeguard.",
    )
    exemptions = forms.ModelMultipleChoiceField(
        label="Exemptions cited",
        queryset=Exemption.objects.all(),
        widget=forms.SelectMultiple(attrs={"size": 6}),
        required=False,
        help_text="Those the answer to this question cites, with their subsection: FOIA s31(1)(a) is a "
        "prejudice refusal, s31(3) a refusal to confirm or deny. Hold Ctrl (⌘ on a Mac) to choose several.",
    )

    class Meta:
        model = Question
        fields = ["number", "text", "answer", "outcome"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3}), "answer": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, exemption_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        if exemption_choices is not None:
            self.fields["exemptions"].choices = exemption_choices
        if self.instance.pk is not None:
            # Read from the rows the formset prefetched.
            self.initial.setdefault("categories", self.instance.category_values)
            self.initial.setdefault("safeguards", self.instance.safeguard_values)
            self.initial.setdefault("exemptions", [exemption.pk for exemption in self.instance.exemptions.all()])

    def _save_m2m(self):
        # Called once the question is saved, whether the formset saved it with commit or not.
        super()._save_m2m()
        question = self.instance
        categories, safeguards = set(self.cleaned_data["categories"]), set(self.cleaned_data["safeguards"])
        question.categories.exclude(category__in=categories).delete()
        question.safeguards.exclude(kind__in=safeguards).delete()
        categories -= set(question.categories.values_list("category", flat=True))
        safeguards -= set(question.safeguards.values_list("kind", flat=True))
        QuestionCategory.objects.bulk_create(QuestionCategory(question=question, category=c) for c in categories)
        QuestionSafeguard.objects.bulk_create(QuestionSafeguard(question=question, kind=k) for k in safeguards)
        question.exemptions.set(self.cleaned_data["exemptions"])


class QuestionFormSet(MergingInlineFormSet):
    """The questions of the request's answer: the formset of its source, bound to the
    request's source once a new request has one (`FoiRequestAdmin.save_formset`)."""

    def __init__(self, data=None, files=None, instance=None, **kwargs):
        source = instance.source if instance is not None and instance.source_id else Source(kind=SourceKind.FOI_ANSWER)
        super().__init__(data, files, instance=source, **kwargs)

    def get_form_kwargs(self, index):
        # The exemptions to choose from, read once for every question rather than once each.
        if not hasattr(self, "_exemption_choices"):
            self._exemption_choices = list(self.form.base_fields["exemptions"].choices)
        return {**super().get_form_kwargs(index), "exemption_choices": self._exemption_choices}


class QuestionInline(admin.StackedInline):
    model = Question
    form = QuestionForm
    formset = QuestionFormSet
    fk_name = "source"
    checks_class = AnswerEvidenceChecks  # questions too point to the answer's source
    fields = ["number", "text", "answer", "outcome", "categories", "safeguards", "exemptions"]
    extra = 0
    verbose_name = "question"
    verbose_name_plural = "questions and how each was answered (the request's outcome, exemptions and kinds of "
    "tool asked about follow from them)"

    def get_queryset(self, request):
        # What each question's form shows of its rows, read once for all of them.
        exemptions = Prefetch("exemptions", queryset=Exemption.objects.order_by("act", "section"))
        return super().get_queryset(request).order_by("pk").prefetch_related("categories", "safeguards", exemptions)

    def get_formset(self, request, obj=None, **kwargs):
        # As for the evidence: built against the source, then bound to the request's source.
        parent_model, self.parent_model = self.parent_model, Source
        try:
            return super().get_formset(request, obj, **kwargs)
        finally:
            self.parent_model = parent_model


@admin.register(Exemption)
class ExemptionAdmin(admin.ModelAdmin):
    list_display = ["citation", "name", "act"]
    list_filter = ["act"]
    search_fields = ["section", "name"]


SUMMARY_LABELS = {"outcome": "outcome", "exemptions": "exemptions cited"}


def question_outcomes(foi_request: FoiRequest | None) -> list[str]:
    """The outcomes of the request's recorded questions (none for a new request), read once per request."""
    if foi_request is None or foi_request.pk is None:
        return []
    if not hasattr(foi_request, "_question_outcomes"):
        questions = Question.objects.filter(source_id=foi_request.source_id)
        foi_request._question_outcomes = list(questions.values_list("outcome", flat=True))
    return foi_request._question_outcomes


def summary_fields(outcomes: list[str]) -> list[str]:
    """The request's fields that only summarise its questions (`FoiRequest.apply_questions`):
    its exemptions once any question is recorded, its outcome once any is answered (until then
    it says whether a response is awaited, or the request was withdrawn)."""
    if not outcomes:
        return []
    answered = any(outcome != QuestionOutcome.NOT_ANSWERED for outcome in outcomes)
    return ["outcome", "exemptions"] if answered else ["exemptions"]


@admin.register(FoiRequest)
class FoiRequestAdmin(EditorialAdminMixin, SimpleHistoryAdmin):
    # What a researcher scans, in short columns that fit 1280 px (tests/browser/test_admin_fits.py).
    list_display = ["reference", "short_title", "force", "received", "due", "answered", "outcome", "is_published"]
    # 48 forces and 36 exemptions: each one list to choose from, not a sidebar of links.
    list_filter = [
        "outcome",
        "is_published",
        ("exemptions", SelectListFilter),
        "force__nation",
        ("force", SelectListFilter),
    ]
    list_select_related = ["force"]
    search_fields = ["reference", "other_references", "title", "request_text", "response_text", "force__name"]
    autocomplete_fields = ["force", "exemptions"]
    date_hierarchy = "date_received"
    readonly_fields = [
        "created_at",
        "updated_at",
        "due_date",
        "working_days_taken",
        "answer_original",
        "facts_from_answer",
    ]
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["force", "reference", "other_references", "title", "slug"]}),
        ("Dates and outcome", {"fields": ["date_received", "date_responded", "outcome", "exemptions"]}),
        (
            "Deadline",
            {
                "fields": [
                    "clarification_requested",
                    "clarification_received",
                    "extended_due_date",
                    "due_date",
                    "working_days_taken",
                ]
            },
        ),
        (
            "Internal review and the Information Commissioner",
            {
                "fields": [
                    "internal_review_requested",
                    "internal_review_completed",
                    "internal_review_outcome",
                    "ico_decision_notice",
                ]
            },
        ),
        (
            "Texts",
            {
                "fields": [
                    "request_text",
                    "response_text",
                    "facts_from_answer",
                    "source_url",
                    "answer_original",
                    "source_document",
                ]
            },
        ),
        ("Imported document", {"fields": ["imported_text"], "classes": ["collapse"]}),
        (
            "Requester (private: never shown publicly)",
            {"fields": ["requester_name", "requester_email"], "classes": ["collapse"]},
        ),
        ("Publication", {"fields": ["is_published", "created_at", "updated_at"]}),
    ]
    inlines = [QuestionInline, CategoryAskedInline, RequestEvidenceInline]
    history_parts = ("source__questions", "source__evidence")  # shown on its history page with its own changes

    @admin.display(description="title", ordering="title")
    def short_title(self, obj) -> str:
        return Truncator(obj.title).chars(60)

    @admin.display(description="received", ordering="date_received")
    def received(self, obj):
        return obj.date_received

    @admin.display(description="due", ordering="due_date")
    def due(self, obj):
        return obj.due_date

    @admin.display(description="answered", ordering="date_responded")
    def answered(self, obj):
        return obj.date_responded

    def get_inlines(self, request, obj):
        inlines = super().get_inlines(request, obj)
        if question_outcomes(obj):
            # The kinds of tool asked about are the questions'.
            inlines = [inline for inline in inlines if inline is not CategoryAskedInline]
        return inlines

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return fields + summary_fields(question_outcomes(obj))

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name in SUMMARY_LABELS and formfield is not None:
            formfield.help_text = f"{db_field.help_text} Once questions are recorded below, they give it.".strip()
        return formfield

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        summaries = summary_fields(question_outcomes(obj))
        if not summaries:
            return fieldsets
        shown = " and ".join(SUMMARY_LABELS[name] for name in summaries)
        note = f"The {shown} are those of the questions below: record them on each question."
        return [
            (name, {**options, "description": note}) if "outcome" in options.get("fields", ()) else (name, options)
            for name, options in fieldsets
        ]

    def save_formset(self, request, form, formset, change):
        if formset.model in (Evidence, Question):
            # On a new request the formset was bound before the request (and its source) existed.
            formset.instance = form.instance.source
        super().save_formset(request, form, formset, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # In the same transaction as the questions: the request's outcome, exemptions and
        # kinds of tool asked about follow from them.
        form.instance.apply_questions()

    def get_deleted_objects(self, objs, request):
        """Evidence quoting an answer protects its request, as it protects the answer's source."""
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        quoting = Evidence.objects.filter(source__foi_request__in=objs).select_related("source")
        protected = [*protected, *(f"Evidence: {evidence}" for evidence in quoting)]
        return deleted, model_count, perms_needed, protected

    @admin.display(description="archived original")
    def answer_original(self, obj) -> str:
        """The answer's original is uploaded and checked on its source's page: a link there."""
        if obj is None or not obj.source_id:
            return "Save the request first, then upload the answer's original on its source's page."
        source = obj.source
        url = reverse("admin:register_source_change", args=[source.pk])
        if not source.original:
            return format_html('None yet: <a href="{}">upload the original the force published</a>.', url)
        shown = "offered to the public" if source.public_original else "not offered to the public until checked"
        return format_html(
            '{} ({} bytes, SHA-256 {}…, retrieved {}), {}: <a href="{}">change it or check it</a>.',
            source.original.name.rsplit("/", 1)[-1],
            source.original_size,
            source.original_sha256[:12],
            source.original_retrieved or "date unknown",
            shown,
            url,
        )

    @admin.display(description="facts from the answer")
    def facts_from_answer(self, obj) -> str:
        """Where a passage of the answer becomes a register fact (`admin_facts`)."""
        if obj is None or obj.pk is None:
            return "Save the request first, then make facts from its answer."
        url = reverse("admin:foi_requests_foirequest_fact", args=[obj.pk])
        return format_html('<a class="button" href="{}">Make a fact from this answer</a>', url)

    def get_urls(self):
        custom = [
            path(
                "import/",
                self.admin_site.admin_view(lambda request: import_view(self, request)),
                name="foi_requests_foirequest_import",
            ),
            path(
                "<path:object_id>/fact/",
                self.admin_site.admin_view(lambda request, object_id: fact_from_passage_view(self, request, object_id)),
                name="foi_requests_foirequest_fact",
            ),
        ]
        return custom + super().get_urls()
