"""The researchers' admin for FOI requests, exemptions and evidence.

A researcher records a request and, in the same form, links each passage of
the answer to the register fact it supports (creating the tool or deployment
through the "+" beside the field if it is new).
"""

from django.contrib import admin
from django.urls import path
from simple_history.admin import SimpleHistoryAdmin

from core.admin_mixins import EditorialAdminMixin, HistoryAdminMixin
from register.admin import AssessmentAdmin, DeploymentAdmin, SupplierAdmin, ToolAdmin
from register.models import Assessment, Deployment, Supplier, Tool

from .admin_import import import_view
from .models import CategoryAsked, Evidence, Exemption, FoiRequest

EVIDENCE_FIELDS = ["foi_request", "question_number", "document_title", "document_url", "quote", "field"]


class CategoryAskedInline(admin.TabularInline):
    model = CategoryAsked
    extra = 0
    verbose_name_plural = "tool categories the questions covered"


class RequestEvidenceInline(admin.StackedInline):
    model = Evidence
    fields = ["question_number", "quote", "tool", "deployment", "assessment", "supplier", "field"]
    autocomplete_fields = ["tool", "deployment", "assessment", "supplier"]
    extra = 0
    verbose_name = "passage supporting a register fact"
    verbose_name_plural = "evidence: passages of this answer and the facts they support"


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

    def get_urls(self):
        custom = [
            path(
                "import/",
                self.admin_site.admin_view(lambda request: import_view(self, request)),
                name="foi_requests_foirequest_import",
            )
        ]
        return custom + super().get_urls()


@admin.register(Evidence)
class EvidenceAdmin(HistoryAdminMixin, SimpleHistoryAdmin):
    list_display = ["quote_start", "foi_request", "question_number", "target", "field"]
    list_filter = [("foi_request", admin.EmptyFieldListFilter), "foi_request__force"]
    list_select_related = ["foi_request", "tool", "deployment__tool", "deployment__force", "assessment", "supplier"]
    search_fields = ["quote", "foi_request__reference", "document_title"]
    autocomplete_fields = ["foi_request", "tool", "deployment", "assessment", "supplier"]
    fields = [*EVIDENCE_FIELDS[:-1], "tool", "deployment", "assessment", "supplier", "field"]

    @admin.display(description="passage")
    def quote_start(self, obj):
        return obj.quote[:80]


class EvidenceInline(admin.StackedInline):
    model = Evidence
    fields = EVIDENCE_FIELDS
    autocomplete_fields = ["foi_request"]
    extra = 0
    verbose_name_plural = "evidence"


class ToolEvidenceInline(EvidenceInline):
    fk_name = "tool"


class DeploymentEvidenceInline(EvidenceInline):
    fk_name = "deployment"


class AssessmentEvidenceInline(EvidenceInline):
    fk_name = "assessment"


class SupplierEvidenceInline(EvidenceInline):
    fk_name = "supplier"


# Register records get their evidence inlines here, where evidence is owned,
# so that `register` never has to import `foi_requests`.
for model in (Tool, Deployment, Assessment, Supplier):
    admin.site.unregister(model)


@admin.register(Tool)
class ToolWithEvidenceAdmin(ToolAdmin):
    inlines = [*ToolAdmin.inlines, ToolEvidenceInline]


@admin.register(Deployment)
class DeploymentWithEvidenceAdmin(DeploymentAdmin):
    inlines = [*DeploymentAdmin.inlines, DeploymentEvidenceInline]


@admin.register(Assessment)
class AssessmentWithEvidenceAdmin(AssessmentAdmin):
    inlines = [AssessmentEvidenceInline]


@admin.register(Supplier)
class SupplierWithEvidenceAdmin(SupplierAdmin):
    inlines = [SupplierEvidenceInline]
