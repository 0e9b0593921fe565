"""The researchers' admin for forces, suppliers, tools, deployments, assessments,
their evidence and the published documents it quotes. (FOI answers are sources
too: their requests keep them, in `foi_requests.admin`.)"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import ActionLocation
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from simple_history.admin import SimpleHistoryAdmin

from core.admin_filters import SelectListFilter
from core.admin_mixins import (
    BulkImportExportMixin,
    EditorialAdminMixin,
    EditorialForm,
    EditorialInlineMixin,
    HistoryAdminMixin,
    RecordEvidenceFormSet,
)
from core.publishing import can_publish

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
from .originals import read_upload, store_original
from .resources import AssessmentResource, DeploymentResource, EvidenceResource, ForceResource, ToolResource
from .sourcing import facts_left_unsourced

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
    fields = [
        "kind",
        "result",
        "conducted",
        "answer_as_given",
        "conducted_by",
        "withheld_under",
        "is_published",
        "confirm_dates",
    ]
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
    formset = RecordEvidenceFormSet  # a published record keeps a quote for each fact it shows
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
    list_display = ["name", "category", "technique", "short_origin", "supplier", "deployment_count", "is_published"]
    list_filter = ["category", "technique", "origin", "is_published", ("supplier", SelectListFilter)]
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
    history_parts = ("deployments", "evidence")  # shown on its history page with its own changes

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(deployment_total=Count("deployments"))

    @admin.display(description="origin", ordering="origin")
    def short_origin(self, obj) -> str:
        return obj.get_origin_display()

    @admin.display(description="deployments", ordering="deployment_total")
    def deployment_count(self, obj):
        return obj.deployment_total


@admin.register(Deployment)
class DeploymentAdmin(BulkImportExportMixin, RecordAdmin):
    resource_classes = [DeploymentResource]
    form = ConfirmDatesForm
    editorial_fields = ("confirm_dates", *HistoryAdminMixin.editorial_fields)
    list_display = ["tool", "force", "status", "started", "ended", "is_published"]
    list_filter = ["status", "tool__category", "force__nation", ("force", SelectListFilter), "is_published"]
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
    history_parts = ("assessments", "evidence")  # shown on its history page with its own changes


@admin.register(Assessment)
class AssessmentAdmin(BulkImportExportMixin, RecordAdmin):
    resource_classes = [AssessmentResource]
    form = ConfirmDatesForm
    editorial_fields = ("confirm_dates", *HistoryAdminMixin.editorial_fields)
    list_display = ["kind", "deployment", "result", "short_conducted", "short_answer", "is_published"]
    list_filter = ["kind", "result", ("deployment__force", SelectListFilter), "is_published"]
    list_select_related = ["deployment__tool", "deployment__force"]
    search_fields = ["deployment__tool__name", "deployment__force__name", "summary", "answer_as_given"]
    autocomplete_fields = ["deployment"]
    inlines = [AssessmentEvidenceInline]

    @admin.display(description="conducted", ordering="conducted")
    def short_conducted(self, obj):
        return obj.conducted

    @admin.display(description="answer", ordering="answer_as_given")
    def short_answer(self, obj) -> str:
        return Truncator(obj.answer_as_given).chars(40)


class SourceForm(EditorialForm):
    """Checks an uploaded original and redacted copy (type by extension and content, size)
    before anything is stored: a bad file is a form error on its field, and nothing is kept."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.uploads: dict[str, tuple[bytes, str]] = {}  # field name: (bytes, text) of each checked upload

    def checked_upload(self, name: str, label: str):
        upload = self.cleaned_data.get(name)
        if isinstance(upload, UploadedFile):
            self.uploads[name] = read_upload(upload, label=label)
        return upload

    def clean_original(self):
        return self.checked_upload("original", "The archived original")

    def clean_redacted_original(self):
        return self.checked_upload("redacted_original", "The redacted copy")

    def clean(self):
        cleaned = super().clean()
        if "original" in self.uploads and self.instance.kind == SourceKind.DOCUMENT:
            text = cleaned.get("text", self.instance.text) or ""
            if not text.strip() and not self.uploads["original"][1]:
                # Its quotes are checked against its text: a scan gives none.
                self.add_error(
                    "original",
                    "The archived original has no text layer (a scanned image?): paste the document's text "
                    "into the text field, which its quotes are checked against.",
                )
        return cleaned


@admin.register(Source)
class SourceAdmin(RecordAdmin):
    """Published documents are recorded here; an FOI answer's source is kept by its request,
    but its archived original is uploaded and checked here."""

    form = SourceForm
    list_display = ["short_title", "kind", "force", "original_state", "is_published"]
    list_filter = ["kind", "original_checked", "is_published"]
    list_select_related = ["force"]
    search_fields = ["title", "slug", "url"]
    fieldsets = [
        (None, {"fields": ["kind", "title", "dated", "url", "published_url", "force"]}),
        ("Text", {"fields": ["text"]}),
        (
            "Archived original",
            {
                "fields": [
                    "original",
                    "original_retrieved",
                    "original_sha256",
                    "original_size",
                    "redacted_original",
                    "original_checked",
                    "public_copy",
                ],
                "description": "The file as published (PDF, DOCX, HTML or text, up to 10 MB), kept in case "
                "the address stops working. The public may download it only once an editor has ticked "
                "“checked for personal data”, or the redacted copy if there is one.",
            },
        ),
        ("Publication", {"fields": ["is_published", "created_at", "updated_at"]}),
    ]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or obj.kind != SourceKind.FOI_ANSWER:
            # A document's published address is its address.
            fieldsets = [
                (name, {**options, "fields": [f for f in options["fields"] if f != "published_url"]})
                for name, options in fieldsets
            ]
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        fields = [*super().get_readonly_fields(request, obj), "kind", "original_sha256", "original_size", "public_copy"]
        if obj is not None and obj.kind == SourceKind.FOI_ANSWER:
            fields += ["title", "dated", "url", "published_url", "force", "text", "is_published"]
        if not can_publish(request.user, Source):
            # What the public may download is an editor's decision.
            fields += ["original_checked", "redacted_original"]
        return fields

    def save_model(self, request, obj, form, change):
        upload = form.uploads.get("original")
        if upload is not None:
            data, text = upload
            retrieved = (
                form.cleaned_data.get("original_retrieved") if "original_retrieved" in form.changed_data else None
            )
            store_original(obj, form.cleaned_data["original"].name, data, text=text, retrieved=retrieved)
            if "original_checked" not in form.changed_data:
                obj.original_checked = False  # the check was of the file it replaces
        elif "original" in form.changed_data:  # cleared
            obj.record_original_digest()
            obj.original_checked = False
        try:
            super().save_model(request, obj, form, change)
        except Exception:
            if upload is not None:
                obj.original.storage.delete(obj.original.name)  # nothing stored for a record not saved
            raise
        if obj.original and obj.public_original is None:
            self.message_user(
                request,
                "The archived original is not offered to the public until an editor ticks “checked for personal "
                "data” or uploads a redacted copy.",
                messages.INFO,
            )

    @admin.display(description="title", ordering="title")
    def short_title(self, obj) -> str:
        return Truncator(obj.title).chars(60)

    @admin.display(description="original")
    def original_state(self, obj) -> str:
        if not obj.original:
            return "none"
        return "public" if obj.public_original else "kept, not public"

    @admin.display(description="public copy")
    def public_copy(self, obj) -> str:
        if obj is None or obj.pk is None or obj.public_original is None:
            return "None: the public cannot download the original."
        url = reverse("register:source-original", args=[obj.pk])
        shown = "the redacted copy" if obj.redacted_original else "the original"
        note = "" if obj.is_published else " (once the source is published)"
        return format_html('<a href="{}">{}</a>{}', url, f"Download {shown}", note)


class EvidenceForm(EditorialForm):
    def _post_clean(self):
        super()._post_clean()  # the instance now holds the form's values
        if not self.errors:
            for reason in facts_left_unsourced(saved=[self.instance]):
                self.add_error(None, reason)


@admin.action(permissions=["delete"], description="Delete selected evidence")
def delete_evidence(modeladmin, request, queryset):
    """Django's own deletion, with a reason (`HistoryAdminMixin.delete_selected`), refused while
    a quote is the only source of a published fact."""
    if reasons := facts_left_unsourced(deleted=queryset):
        for reason in reasons:
            modeladmin.message_user(request, f"Nothing deleted. {reason}", messages.ERROR)
        return None
    return modeladmin.delete_selected(request, queryset)


@admin.register(Evidence)
class EvidenceAdmin(BulkImportExportMixin, FactChoiceMixin, HistoryAdminMixin, SimpleHistoryAdmin):
    # Bulk import of quotes, each checked against its source's text like a form's (`EvidenceResource`).
    resource_classes = [EvidenceResource]
    form = EvidenceForm
    actions = [delete_evidence]
    fact_models = EVIDENCE_TARGETS
    list_display = ["passage", "source", "question_number", "target", "field"]
    list_filter = ["source__kind", ("source__force", SelectListFilter)]
    list_select_related = ["source", "tool", "deployment__tool", "deployment__force", "assessment", "supplier"]
    search_fields = ["quote", "source__title"]
    autocomplete_fields = ["source", "tool", "deployment", "assessment", "supplier"]
    fields = ["source", "question_number", "quote", "tool", "deployment", "assessment", "supplier", "field"]

    # Not `quote_start`: the model's field of that name (the quote's offset) would be shown instead.
    @admin.display(description="passage")
    def passage(self, obj) -> str:
        return Truncator(obj.quote).chars(80)

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location)
        actions.pop("delete_selected", None)  # replaced by `delete_evidence`
        return actions

    def delete_view(self, request, object_id, extra_context=None):
        evidence = self.get_object(request, object_id)
        if evidence is not None and (reasons := facts_left_unsourced(deleted=[evidence])):
            self.message_user(request, f"Not deleted. {reasons[0]}", messages.ERROR)
            return HttpResponseRedirect(reverse("admin:register_evidence_change", args=[evidence.pk]))
        return super().delete_view(request, object_id, extra_context)

    def has_import_permission(self, request):
        # Bulk import is an editor's, as for every record; evidence has no publication of its
        # own, so its editors are those who publish the sources it quotes.
        user = request.user
        return user.has_perms(["register.add_evidence", "register.change_evidence", "register.publish_source"])
