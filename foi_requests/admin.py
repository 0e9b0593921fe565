"""The researchers' admin for FOI requests, exemptions and evidence.

A researcher records a request and, in the same form, links each passage of
the answer to the register fact it supports (creating the tool or deployment
through the "+" beside the field if it is new).
"""

from django.contrib import admin
from django.contrib.admin.checks import InlineModelAdminChecks
from django.forms.models import BaseInlineFormSet
from django.urls import path
from simple_history.admin import SimpleHistoryAdmin

from core.admin_mixins import EditorialAdminMixin
from register.admin import EVIDENCE_TARGETS, FactChoiceMixin
from register.models import Evidence, Source, SourceKind

from .admin_import import import_view
from .models import CategoryAsked, Exemption, FoiRequest


class CategoryAskedInline(admin.TabularInline):
    model = CategoryAsked
    extra = 0
    verbose_name_plural = "tool categories the questions covered"


class AnswerEvidenceFormSet(BaseInlineFormSet):
    """The evidence quoting the request's answer: the formset of its source. A new
    request gets its source when saved, before its inlines are (`save_formset`).

    Its quotes are checked against the answer as posted in the same form (the text the
    source takes when the request is saved), on a new request as on a change: the
    request's form is validated, filling in the request, before its inlines are."""

    def __init__(self, data=None, files=None, instance=None, **kwargs):
        self.foi_request = instance
        source = instance.source if instance is not None and instance.source_id else Source(kind=SourceKind.FOI_ANSWER)
        super().__init__(data, files, instance=source, **kwargs)

    def full_clean(self):
        if self.foi_request is not None:
            self.instance.title = self.instance.title or self.foi_request.reference or self.foi_request.title
            self.instance.text = self.foi_request.public_response_text
        super().full_clean()


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


@admin.register(Exemption)
class ExemptionAdmin(admin.ModelAdmin):
    list_display = ["citation", "name", "act"]
    list_filter = ["act"]
    search_fields = ["section", "name"]


@admin.register(FoiRequest)
class FoiRequestAdmin(EditorialAdminMixin, SimpleHistoryAdmin):
    list_display = [
        "reference",
        "title",
        "force",
        "date_received",
        "date_responded",
        "outcome",
        "is_published",
        "due_date",
    ]
    list_filter = ["outcome", "is_published", "exemptions", "force__nation", "force"]
    list_select_related = ["force"]
    search_fields = ["reference", "other_references", "title", "request_text", "response_text", "force__name"]
    autocomplete_fields = ["force", "exemptions"]
    date_hierarchy = "date_received"
    readonly_fields = ["created_at", "updated_at", "due_date", "working_days_taken"]
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
        ("Texts", {"fields": ["request_text", "response_text", "source_url", "source_document"]}),
        ("Imported document", {"fields": ["imported_text"], "classes": ["collapse"]}),
        (
            "Requester (private: never shown publicly)",
            {"fields": ["requester_name", "requester_email"], "classes": ["collapse"]},
        ),
        ("Publication", {"fields": ["is_published", "created_at", "updated_at"]}),
    ]
    inlines = [CategoryAskedInline, RequestEvidenceInline]

    def save_formset(self, request, form, formset, change):
        if formset.model is Evidence:
            # On a new request the formset was bound before the request (and its source) existed.
            formset.instance = form.instance.source
        super().save_formset(request, form, formset, change)

    def get_deleted_objects(self, objs, request):
        """Evidence quoting an answer protects its request, as it protects the answer's source."""
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        quoting = Evidence.objects.filter(source__foi_request__in=objs).select_related("source")
        protected = [*protected, *(f"Evidence: {evidence}" for evidence in quoting)]
        return deleted, model_count, perms_needed, protected

    def get_urls(self):
        custom = [
            path(
                "import/",
                self.admin_site.admin_view(lambda request: import_view(self, request)),
                name="foi_requests_foirequest_import",
            )
        ]
        return custom + super().get_urls()
