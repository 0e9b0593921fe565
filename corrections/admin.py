"""The editors' queue of corrections from the public: filter by status, read what was
sent (and its attached file), then accept or reject it with a note. Accepting changes
nothing public by itself: the editor edits the records, which are published as ever."""

from pathlib import PurePath

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, path, reverse
from django.utils.html import format_html

from .models import Correction, CorrectionStatus
from .records import RECORD_KINDS

SENT_FIELDS = (
    "received_at",
    "kind",
    "about",
    "what_is_wrong",
    "should_say",
    "source_link",
    "attachment_link",
    "sender_name",
    "sender_email",
)


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    list_display = ["received_at", "kind", "about", "status", "handled_by", "handled_at"]
    list_filter = ["status", "kind", "record_kind"]
    search_fields = ["what_is_wrong", "should_say", "record_label", "source_url"]
    date_hierarchy = "received_at"
    readonly_fields = [*SENT_FIELDS, "handled_by", "handled_at"]
    fieldsets = [
        ("What was sent", {"fields": SENT_FIELDS}),
        ("What the editors did", {"fields": ["status", "editor_note", "handled_by", "handled_at"]}),
    ]

    def has_add_permission(self, request):
        return False  # they come from the public form

    @admin.display(description="About", ordering="record_label")
    def about(self, correction: Correction):
        if not correction.record_kind:
            return correction.get_kind_display()
        model = RECORD_KINDS[correction.record_kind]
        try:
            url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[correction.record_id])
        except NoReverseMatch:
            return correction.record_label
        return format_html('<a href="{}">{}</a>', url, correction.record_label)

    @admin.display(description="Source address")
    def source_link(self, correction: Correction):
        if not correction.source_url:
            return "-"
        return format_html(
            '<a href="{}" rel="noreferrer noopener">{}</a>', correction.source_url, correction.source_url
        )

    @admin.display(description="Attached file")
    def attachment_link(self, correction: Correction):
        if not correction.attachment:
            return "-"
        url = reverse("admin:corrections_correction_attachment", args=[correction.pk])
        return format_html('<a href="{}">{}</a>', url, PurePath(correction.attachment.name).name)

    def get_urls(self):
        return [
            path(
                "<int:pk>/attachment/",
                self.admin_site.admin_view(self.attachment_view),
                name="corrections_correction_attachment",
            ),
            *super().get_urls(),
        ]

    def attachment_view(self, request, pk: int):
        """The attached file, always downloaded (never opened in the register's origin)."""
        correction = get_object_or_404(Correction, pk=pk)
        if not self.has_view_permission(request, correction):
            raise PermissionDenied
        if not correction.attachment:
            raise Http404("This correction has no attached file.")
        try:
            handle = correction.attachment.open("rb")
        except FileNotFoundError:
            raise Http404("The attached file is missing from the storage.") from None
        response = FileResponse(handle, as_attachment=True, filename=PurePath(correction.attachment.name).name)
        response["X-Content-Type-Options"] = "nosniff"
        return response

    def save_model(self, request, obj: Correction, form, change):
        if {"status", "editor_note"} & set(form.changed_data) and obj.status != CorrectionStatus.NEW:
            obj.mark_handled(request.user)
        super().save_model(request, obj, form, change)
