"""The researchers' admin for forces, suppliers, tools, deployments and assessments.

The evidence inlines are added by `foi_requests.admin`, which owns evidence:
this app must not import `foi_requests`.
"""

from django.contrib import admin
from django.db.models import Count
from simple_history.admin import SimpleHistoryAdmin

from core.admin_mixins import BulkImportExportMixin, EditorialAdminMixin, EditorialInlineMixin

from .models import Assessment, Deployment, Force, Supplier, Tool
from .resources import AssessmentResource, DeploymentResource, ForceResource, ToolResource


class RecordAdmin(EditorialAdminMixin, SimpleHistoryAdmin):
    """Shared by every register record: publication state and timestamps."""

    readonly_fields = ["created_at", "updated_at"]
    list_filter = ["is_published"]
    save_on_top = True


class DeploymentInline(EditorialInlineMixin, admin.TabularInline):
    model = Deployment
    fields = ["force", "tool", "status", "started", "ended", "is_published"]
    autocomplete_fields = ["force", "tool"]
    extra = 0
    show_change_link = True


class AssessmentInline(EditorialInlineMixin, admin.TabularInline):
    model = Assessment
    fields = ["kind", "result", "conducted", "answer_as_given", "conducted_by", "is_published"]
    extra = 0
    show_change_link = True


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
    inlines = [DeploymentInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(deployment_total=Count("deployments"))

    @admin.display(description="deployments", ordering="deployment_total")
    def deployment_count(self, obj):
        return obj.deployment_total


@admin.register(Deployment)
class DeploymentAdmin(BulkImportExportMixin, RecordAdmin):
    resource_classes = [DeploymentResource]
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
    inlines = [AssessmentInline]


@admin.register(Assessment)
class AssessmentAdmin(BulkImportExportMixin, RecordAdmin):
    resource_classes = [AssessmentResource]
    list_display = ["kind", "deployment", "result", "conducted", "answer_as_given", "is_published"]
    list_filter = ["kind", "result", "deployment__force", "is_published"]
    list_select_related = ["deployment__tool", "deployment__force"]
    search_fields = ["deployment__tool__name", "deployment__force__name", "summary", "answer_as_given"]
    autocomplete_fields = ["deployment"]
