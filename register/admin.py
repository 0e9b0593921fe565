"""The researchers' admin for forces, suppliers, tools, deployments, assessments,
their evidence and the published documents it quotes. (FOI answers are sources
too: their requests keep them, in `foi_requests.admin`.)"""

from django import forms
from django.contrib import admin
from django.db.models import Count
from simple_history.admin import SimpleHistoryAdmin

from core.admin_mixins import (
    BulkImportExportMixin,
    EditorialAdminMixin,
    EditorialForm,
    EditorialInlineMixin,
    HistoryAdminMixin,
)

from .date_rules import CONFIRM_DATES_HELP, CONFIRM_DATES_LABEL
from .models import (
    RECORD_ITSELF,
    Assessment,
    Deployment,
    Evidence,
    Force,
    Source,
    SourceKind,
    Supplier,
    Tool,
    fact_choices,
)
from .resources import AssessmentResource, DeploymentResource, ForceResource, ToolResource

# The kinds of record a piece of evidence may be about, in the order of its form.
EVIDENCE_TARGETS = (Tool, Deployment, Assessment, Supplier)


class RecordAdmin(EditorialAdminMixin, SimpleHistoryAdmin):
    """Shared by every register record: publication state and timestamps."""

    readonly_fields = ["created_at", "updated_at"]
    list_filter = ["is_published"]
    save_on_top = True


class ConfirmDatesMixin:
    """The editor's confirmation of unusual dates (`register.date_rules`): the
    model's `clean()` refuses them, on their field, until it is ticked."""

    def clean(self):
        cleaned = super().clean()
        self.instance.confirm_dates = bool(cleaned.get("confirm_dates"))
        return cleaned


def confirm_dates_field() -> forms.BooleanField:
    return forms.BooleanField(label=CONFIRM_DATES_LABEL, required=False, help_text=CONFIRM_DATES_HELP)


class ConfirmDatesForm(ConfirmDatesMixin, EditorialForm):
    confirm_dates = confirm_dates_field()


class ConfirmDatesInlineForm(ConfirmDatesMixin, forms.ModelForm):
    confirm_dates = confirm_dates_field()


class DeploymentInline(EditorialInlineMixin, admin.TabularInline):
    model = Deployment
    form = ConfirmDatesInlineForm
    fields = ["force", "tool", "status", "started", "ended", "is_published", "confirm_dates"]
    autocomplete_fields = ["force", "tool"]
    extra = 0
    show_change_link = True


class AssessmentInline(EditorialInlineMixin, admin.TabularInline):
    model = Assessment
    form = ConfirmDatesInlineForm
    fields = ["kind", "result", "conducted", "answer_as_given", "conducted_by", "is_published", "confirm_dates"]
    extra = 0
    show_change_link = True


class FactChoiceMixin:
    """The fact a quote supports, chosen from a list of the record's facts labelled
    as its public page shows them, never typed as a field name. `fact_models`: the
    kinds of record the form's evidence may be about (grouped when several)."""

    fact_models: tuple[type, ...] = ()

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name != "field":
            return super().formfield_for_dbfield(db_field, request, **kwargs)
        if len(self.fact_models) == 1:
            choices = fact_choices(self.fact_models[0])
        else:
            choices = [
                ("", RECORD_ITSELF),
                *(
                    (str(model._meta.verbose_name).capitalize(), list(model.FACTS.items()))
                    for model in self.fact_models
                ),
            ]
        return forms.ChoiceField(
            label="Fact supported",
            choices=choices,
            required=False,
            help_text="The fact of the record the passage supports, as its page labels it.",
        )


class EvidenceInline(FactChoiceMixin, admin.StackedInline):
    model = Evidence
    fields = ["source", "question_number", "quote", "field"]
    autocomplete_fields = ["source"]
    extra = 0
    verbose_name_plural = "evidence"


class ToolEvidenceInline(EvidenceInline):
    fk_name = "tool"
    fact_models = (Tool,)


class DeploymentEvidenceInline(EvidenceInline):
    fk_name = "deployment"
    fact_models = (Deployment,)


class AssessmentEvidenceInline(EvidenceInline):
    fk_name = "assessment"
    fact_models = (Assessment,)


class SupplierEvidenceInline(EvidenceInline):
    fk_name = "supplier"
    fact_models = (Supplier,)


@admin.register(Force)
class ForceAdmin(BulkImportExportMixin, RecordAdmin):
    resource_classes = [ForceResource]
    list_display = ["name", "slug", "nation", "kind", "deployment_count", "is_published"]
    list_filter = ["nation", "kind", "is_published"]
    search_fields = ["name", "slug"]
    ordering = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [DeploymentInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(deployment_total=Count("deployments"))

    @admin.display(description="deployments", ordering="deployment_total")
    def deployment_count(self, obj):
        return obj.deployment_total


@admin.register(Supplier)
class SupplierAdmin(RecordAdmin):
    list_display = ["name", "force", "website", "is_published"]
    list_filter = [("force", admin.EmptyFieldListFilter), "is_published"]
    search_fields = ["name", "description"]
    autocomplete_fields = ["force"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [SupplierEvidenceInline]


@admin.register(Tool)
class ToolAdmin(BulkImportExportMixin, RecordAdmin):
    resource_classes = [ToolResource]
    list_display = ["name", "category", "technique", "origin", "supplier", "deployment_count", "is_published"]
    list_filter = ["category", "technique", "origin", "is_published", "supplier"]
    list_select_related = ["supplier"]
    search_fields = ["name", "description", "supplier__name"]
    ordering = ["name"]
    autocomplete_fields = ["supplier"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["name", "slug", "category", "technique", "origin", "supplier"]}),
        ("What it does", {"fields": ["description", "inputs", "outputs"]}),
        ("Publication", {"fields": ["is_published", "created_at", "updated_at"]}),
    ]
    inlines = [DeploymentInline, ToolEvidenceInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(deployment_total=Count("deployments"))

    @admin.display(description="deployments", ordering="deployment_total")
    def deployment_count(self, obj):
        return obj.deployment_total


@admin.register(Deployment)
class DeploymentAdmin(BulkImportExportMixin, RecordAdmin):
    resource_classes = [DeploymentResource]
    form = ConfirmDatesForm
    editorial_fields = ("confirm_dates", *HistoryAdminMixin.editorial_fields)
    list_display = ["tool", "force", "status", "started", "ended", "is_published"]
    list_filter = ["status", "tool__category", "force__nation", "is_published"]
    list_select_related = ["tool", "force"]
    search_fields = ["tool__name", "force__name", "purpose"]
    autocomplete_fields = ["force", "tool"]
    fieldsets = [
        (None, {"fields": ["force", "tool", "status", "started", "ended"]}),
        (
            "How the force uses it",
            {"fields": ["purpose", "data_used", "decisions_supported", "users", "training", "human_oversight"]},
        ),
        ("Scale and cost", {"fields": ["scale", "cost"]}),
        ("Publication", {"fields": ["is_published", "created_at", "updated_at"]}),
    ]
    inlines = [AssessmentInline, DeploymentEvidenceInline]


@admin.register(Assessment)
class AssessmentAdmin(BulkImportExportMixin, RecordAdmin):
    resource_classes = [AssessmentResource]
    form = ConfirmDatesForm
    editorial_fields = ("confirm_dates", *HistoryAdminMixin.editorial_fields)
    list_display = ["kind", "deployment", "result", "conducted", "answer_as_given", "is_published"]
    list_filter = ["kind", "result", "deployment__force", "is_published"]
    list_select_related = ["deployment__tool", "deployment__force"]
    search_fields = ["deployment__tool__name", "deployment__force__name", "summary", "answer_as_given"]
    autocomplete_fields = ["deployment"]
    inlines = [AssessmentEvidenceInline]


@admin.register(Source)
class SourceAdmin(RecordAdmin):
    """Published documents are recorded here; an FOI answer's source is kept by its request."""

    list_display = ["title", "kind", "url", "force", "is_published"]
    list_filter = ["kind", "is_published"]
    list_select_related = ["force"]
    search_fields = ["title", "slug", "url"]
    fields = ["kind", "title", "url", "force", "text", "is_published", "created_at", "updated_at"]

    def get_readonly_fields(self, request, obj=None):
        fields = [*super().get_readonly_fields(request, obj), "kind"]
        if obj is not None and obj.kind == SourceKind.FOI_ANSWER:
            fields += ["title", "url", "force", "text", "is_published"]
        return fields


@admin.register(Evidence)
class EvidenceAdmin(FactChoiceMixin, HistoryAdminMixin, SimpleHistoryAdmin):
    fact_models = EVIDENCE_TARGETS
    list_display = ["quote_start", "source", "question_number", "target", "field"]
    list_filter = ["source__kind", "source__force"]
    list_select_related = ["source", "tool", "deployment__tool", "deployment__force", "assessment", "supplier"]
    search_fields = ["quote", "source__title"]
    autocomplete_fields = ["source", "tool", "deployment", "assessment", "supplier"]
    fields = ["source", "question_number", "quote", "tool", "deployment", "assessment", "supplier", "field"]

    @admin.display(description="passage")
    def quote_start(self, obj):
        return obj.quote[:80]
