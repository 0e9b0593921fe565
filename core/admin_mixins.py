"""Admin behaviour shared by every publishable record: publication rights, a
required change reason stored in the history, and refusal of lost updates.

Imports no model, so `register.admin` and `foi_requests.admin` can use it.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import actions as django_actions
from django.contrib.admin import helpers
from django.contrib.admin.templatetags.admin_urls import admin_urlname
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.contrib.admin.views.main import PAGE_VAR
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.text import capfirst
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, XLSX
from import_export.forms import ImportForm
from simple_history.models import to_historic

from .edit_conflicts import (
    EditConflict,
    carries_opening_values,
    carry_opening_values,
    check_version,
    merge_form,
    stored_version,
)
from .history import history_parts_names, keep_links_in_latest_version, linked_ids_of_version, record_history
from .publishing import (
    PublicationRefused,
    can_edit,
    can_publish,
    check_sources,
    publish_together,
    stored_publication_state,
    with_needs,
)

CHANGE_REASON_MAX_LENGTH = 100  # django-simple-history's history_change_reason column
CHANGE_REASON_HELP = "Kept in the record's history, e.g. “Corrected start date from FOI answer 2128/22”."


def recorded_from(labels: list[str]) -> str:
    """ "Recorded from FOI 855A/22, FOI 2128/22", as many sources as the history's column holds."""
    if not labels:
        return ""
    text = ""
    for shown in range(len(labels), 0, -1):
        rest = len(labels) - shown
        text = f"Recorded from {', '.join(labels[:shown])}{f' and {rest} more' if rest else ''}"
        if len(text) <= CHANGE_REASON_MAX_LENGTH:
            return text
    return text[: CHANGE_REASON_MAX_LENGTH - 1] + "…"


def suggested_reason(record) -> str:
    """The reason the form offers, for the editor to keep or change: "Created" for a new record;
    for an FOI request (through its answer's source) or a quote, "Recorded from FOI 855A/22";
    for a record with quotes, "Recorded from" their sources; else nothing: the editor says why."""
    if record.pk is None:
        return "Created"
    source = getattr(record, "source", None)
    if source is not None:
        return recorded_from([source.label])
    quotes = getattr(record, "evidence", None)
    # A source's own `evidence` are the quotes citing it, not the sources it was recorded from.
    if quotes is None or quotes.field.name == "source":
        return ""
    return recorded_from(sorted({quote.source.label for quote in quotes.select_related("source")}))


def described(record) -> str:
    """A record as a list of different kinds names it: "Force: Gwent Police"."""
    return f"{capfirst(record._meta.verbose_name)}: {record}"


class ChangeReasonForm(forms.Form):
    """The reason asked before an action on several records (publish, unpublish, delete)."""

    change_reason = forms.CharField(
        label="Reason for this change", max_length=CHANGE_REASON_MAX_LENGTH, help_text=CHANGE_REASON_HELP
    )


class EditorialForm(forms.ModelForm):
    """Adds the reason for the change and the version the editor started from;
    shows and keeps the record's current publication state, even in a revert form."""

    change_reason = forms.CharField(
        label="Reason for this change",
        max_length=CHANGE_REASON_MAX_LENGTH,
        required=False,
        help_text=CHANGE_REASON_HELP,
    )
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["change_reason"].initial = suggested_reason(self.instance)
        if self.instance.pk is not None:
            # The stored version, not the instance's: a revert form shows an old
            # version's values but edits the record as it is now.
            self.fields["version"].initial = stored_version(type(self.instance), self.instance.pk)
            self.fields["change_reason"].required = True
            if to_historic(self.instance) is None:  # a revert form edits towards an old version: no merge
                carry_opening_values(self)
            if hasattr(self.instance, "is_published"):
                # Publication is not a value a revert restores: the form shows the record's
                # state as it is now, and keeps it unless an editor changes the field.
                published = stored_publication_state(self.instance)
                self.instance.is_published = self.initial["is_published"] = published
        # A revert form shows the many-to-many links (an FOI request's exemptions) as that version kept them.
        for name, ids in linked_ids_of_version(self.instance).items():
            if name in self.fields and not self.is_bound:
                self.initial[name] = ids

    def _save_m2m(self):
        # One version per save: the one save() made, holding the links as this form sets them
        # (django-simple-history would add a version for each link added or removed).
        self.instance.skip_history_when_saving = True
        try:
            super()._save_m2m()
        finally:
            del self.instance.skip_history_when_saving
        keep_links_in_latest_version(self.instance)

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is not None and carries_opening_values(self):
            merge_form(self)  # with what others saved since the form was opened
        elif self.instance.pk is not None:
            try:
                check_version(type(self.instance), self.instance.pk, self.data.get(self.add_prefix("version"), ""))
            except EditConflict as conflict:
                raise ValidationError(conflict.message, code="edit_conflict") from conflict
        return cleaned

    def _post_clean(self):
        super()._post_clean()  # the instance now holds the form's values
        # The record's evidence inline, when the page has one, checks with the quotes as they will be saved.
        if not getattr(self.instance, SOURCES_CHECKED_BY_INLINE, False):
            add_sources_error(self, self.instance)


def add_sources_error(form, instance, evidence_fields=None) -> None:
    """Puts `check_sources`'s refusal on the form's "published" box (or the whole form)."""
    try:
        check_sources(instance, evidence_fields)
    except ValidationError as refused:
        form.add_error("is_published" if "is_published" in form.fields else None, refused.messages)


# Set on a record by its evidence inline's formset, which checks its sources instead of the record's form.
SOURCES_CHECKED_BY_INLINE = "_sources_checked_by_inline"


class MergingInlineFormSet(BaseInlineFormSet):
    """An inline whose rows merge with what others saved since the page was opened,
    as the record's own form does (`core.edit_conflicts.merge_form`)."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        carry_opening_values(form)

    def clean(self):
        super().clean()
        for index, form in enumerate(self.forms):
            if self._should_delete_form(form) or not hasattr(form, "cleaned_data"):
                continue
            if index < self.initial_form_count() and form.instance.pk is None:
                form.add_error(None, "Someone else deleted this row after you opened the page.")
            elif carries_opening_values(form):
                merge_form(form)


class RecordEvidenceFormSet(MergingInlineFormSet):
    """The evidence inline of a publishable record: a published record must keep a quote for
    each fact it shows, counting the quotes added, changed or deleted in the same form."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The admin builds the formsets with the record's form's instance, before validating either.
        setattr(self.instance, SOURCES_CHECKED_BY_INLINE, True)

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        # Each form's instance holds its values once validated (a read-only form: as stored).
        fields = [
            form.instance.field
            for form in self.forms
            if (form.instance.pk is not None or form.has_changed()) and not self._should_delete_form(form)
        ]
        try:
            check_sources(self.instance, fields)
        except ValidationError as refused:
            raise ValidationError(refused.messages, code="unsourced") from refused


class PublishableInlineFormSet(MergingInlineFormSet):
    """An inline of publishable records (a tool's deployments): each one published needs its sources."""

    checks_sources = True

    def clean(self):
        super().clean()
        if not self.checks_sources:
            return
        for form in self.forms:
            if form.has_changed() and not form.errors and not self._should_delete_form(form):
                add_sources_error(form, form.instance)


def reason_for(form, change: bool) -> str:
    return form.cleaned_data.get("change_reason") or ("Changed" if change else "Created")


class HistoryAdminMixin:
    """For the admin of a model with django-simple-history and `updated_at`: a
    required reason for each change, kept in the history, and edit conflicts refused."""

    form = EditorialForm
    editorial_fields = ("change_reason", "version")
    # The parts whose changes the record's history page shows with its own (`core.history`),
    # by their relation: e.g. ("assessments", "evidence") or ("source__questions",).
    history_parts: tuple[str, ...] = ()
    object_history_template = "admin/record_history.html"
    # Rendered beside the save buttons by these templates, not in a fieldset.
    submit_row_fields = ("change_reason", "version", "take_theirs")
    change_form_template = "admin/editorial/change_form.html"
    object_history_form_template = "admin/editorial/object_history_form.html"
    delete_selected_confirmation_template = "admin/editorial/delete_selected_confirmation.html"

    def get_fields(self, request, obj=None):
        # Without declared fields, the admin lists the form's: those of the submit row go there only.
        return [name for name in super().get_fields(request, obj) if name not in self.submit_row_fields]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        # Declared `fields` or `fieldsets` do not list the form's extra fields: add them at the end.
        shown = {*flatten_fieldsets(fieldsets), *self.submit_row_fields}
        missing = [name for name in self.editorial_fields if name not in shown]
        if missing:
            fieldsets = [*fieldsets, ("Why", {"fields": missing})]
        return fieldsets

    def render_history_view(self, request, template, context, **kwargs):
        if template == self.object_history_template:
            # The record's versions and its parts', newest first, in place of simple_history's list.
            entries = record_history(context["object"], self.history_parts)
            page = Paginator(entries, self.history_list_per_page).get_page(request.GET.get(PAGE_VAR))
            context["history_page"] = page
            context["history_page_range"] = page.paginator.get_elided_page_range(page.number)
            context["history_parts_names"] = history_parts_names(type(context["object"]), self.history_parts)
        return super().render_history_view(request, template, context, **kwargs)

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        pass  # `record_history` measures each change, for the record and its parts alike

    def save_model(self, request, obj, form, change):
        obj._change_reason = reason_for(form, change)
        super().save_model(request, obj, form, change)

    def may_save_inline(self, request, instance) -> bool:
        return True

    def save_formset(self, request, form, formset, change):
        reason = reason_for(form, change)
        refused = 0
        for instance in formset.save(commit=False):
            if not self.may_save_inline(request, instance):
                refused += 1
                continue
            instance._change_reason = reason
            instance._history_user = request.user
            instance.save()
        for instance in formset.deleted_objects:
            instance._change_reason = reason
            instance.delete()
        formset.save_m2m()
        if refused:
            self.message_user(
                request,
                f"{refused} published {formset.model._meta.verbose_name_plural} left unchanged: "
                "only an editor may change a published record.",
                messages.WARNING,
            )

    def delete_model(self, request, obj):
        obj._change_reason = "Deleted in the admin"
        super().delete_model(request, obj)

    # Named as Django's own action, which it replaces where listed in `actions`.
    @admin.action(permissions=["delete"], description="Delete selected %(verbose_name_plural)s")
    def delete_selected(self, request, queryset):
        """Django's deletion, asking on its confirmation page for the reason kept in each record's history."""
        confirmed = bool(request.POST.get("post"))
        form = ChangeReasonForm(request.POST if confirmed else None, initial={"change_reason": "Deleted"})
        if confirmed and form.is_valid():
            request.editorial_change_reason = form.cleaned_data["change_reason"]  # read by delete_queryset
            return django_actions.delete_selected(self, request, queryset)
        if confirmed:
            # Django's action deletes once "post" is sent: without a reason, ask again instead.
            request.POST = request.POST.copy()
            del request.POST["post"]
        response = django_actions.delete_selected(self, request, queryset)
        if isinstance(response, TemplateResponse):
            # The action chosen may be another name for this one (the evidence's `delete_evidence`).
            response.context_data.update(change_reason_form=form, action_name=request.POST.get("action"))
        return response

    def delete_queryset(self, request, queryset):
        # One by one, so each deletion is kept in the history with its reason.
        reason = getattr(request, "editorial_change_reason", "Deleted in the admin")
        for obj in queryset:
            obj._change_reason = reason
            obj._history_user = request.user
            obj.delete()


class EditorialAdminMixin(HistoryAdminMixin):
    """For the admin of a model with `is_published` and django-simple-history:
    researchers edit drafts, editors also publish."""

    actions = ["publish_selected", "publish_selected_with_needs", "unpublish_selected", "delete_selected"]

    # Publication: the field is read-only without the right to publish.
    def has_publish_permission(self, request) -> bool:
        return can_publish(request.user, self.model)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not can_publish(request.user, self.model) and "is_published" not in fields:
            fields.append("is_published")
        return fields

    def has_change_permission(self, request, obj=None):
        # Researchers edit drafts; a published record is the editors'.
        return super().has_change_permission(request, obj) and can_edit(request.user, obj)

    def revert_disabled(self, request, obj=None):
        # `obj` is the old version; what matters is whether the record is published now.
        if obj is not None and not can_publish(request.user, self.model) and stored_publication_state(obj):
            return True
        return super().revert_disabled(request, obj)

    def save_model(self, request, obj, form, change):
        if not can_publish(request.user, self.model):
            # Server-side, whatever was posted or restored from an old version:
            # the publication state stays, and a published record stays the editors'.
            if stored_publication_state(obj):
                raise PermissionDenied(f"Only an editor may change a published {self.model._meta.verbose_name}.")
            obj.is_published = False
        super().save_model(request, obj, form, change)

    def may_save_inline(self, request, instance) -> bool:
        if not hasattr(instance, "is_published") or can_publish(request.user, type(instance)):
            return True
        if stored_publication_state(instance):
            return False
        instance.is_published = False
        return True

    # Publication actions: first a page asking for the reason, then each record saved on
    # its own, so each gets a history entry with that reason.
    @admin.action(description="Publish the selected records", permissions=["publish"])
    def publish_selected(self, request, queryset):
        return self._set_published(request, queryset, True)

    @admin.action(description="Unpublish the selected records (back to draft)", permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        return self._set_published(request, queryset, False)

    def _set_published(self, request, queryset, published: bool):
        if not can_publish(request.user, self.model):
            raise PermissionDenied
        verb = "Publish" if published else "Unpublish"
        confirmed = bool(request.POST.get("confirm"))
        form = ChangeReasonForm(request.POST if confirmed else None, initial={"change_reason": f"{verb}ed"})
        if not (confirmed and form.is_valid()):
            return self.confirm_action(request, queryset, form, verb=verb)
        reason = form.cleaned_data["change_reason"]
        changed = []
        for obj in queryset.filter(is_published=not published):
            obj.is_published = published
            try:
                check_sources(obj)
            except ValidationError as refused:
                self.message_user(request, f"{obj}: {' '.join(refused.messages)}", messages.ERROR)
                continue
            obj._change_reason = reason
            obj._history_user = request.user
            obj.save()
            changed.append(obj.pk)
        verb = "published" if published else "returned to draft"
        plural = self.model._meta.verbose_name_plural
        self.message_user(request, f"{len(changed)} {plural} {verb}.", messages.SUCCESS)
        if published:
            # e.g. a deployment whose force or tool is still a draft
            hidden = self.model.objects.filter(pk__in=changed).exclude(pk__in=self.model.objects.published()).count()
            if hidden:
                self.message_user(
                    request,
                    f"{hidden} of them stay hidden from the public until the records they belong to are published.",
                    messages.WARNING,
                )
        return None

    def confirm_action(self, request, queryset, form, *, verb: str) -> TemplateResponse:
        """The page between choosing an action and doing it, like Django's delete confirmation:
        the records chosen, and the reason to keep in each one's history."""
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "title": f"{verb} {opts.verbose_name_plural}",
            "verb": verb,
            "opts": opts,
            "records": queryset,
            "action": request.POST.get("action", ""),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "change_reason_form": form,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/editorial/confirm_action.html", context)

    # "Publish with what it needs": the records chosen with the unpublished records they need
    # (`core.publishing.with_needs`), listed by name on one page that asks one reason, then
    # published together in one transaction, or none of them.
    @admin.action(description="Publish the selected records and what they need", permissions=["publish"])
    def publish_selected_with_needs(self, request, queryset):
        changelist = reverse(admin_urlname(self.opts, "changelist"), current_app=self.admin_site.name)
        return self.publish_with_needs(request, list(queryset), back_url=changelist, action=request.POST["action"])

    def get_urls(self):
        opts = self.opts
        publish = path(
            "<path:object_id>/publish-with-needs/",
            self.admin_site.admin_view(self.publish_with_needs_view),
            name=f"{opts.app_label}_{opts.model_name}_publish_with_needs",
        )
        return [publish, *super().get_urls()]  # before the admin's catch-all "<path:object_id>/"

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # The button beside the save buttons (templates/admin/editorial/submit_line.html), for a draft.
        if obj is not None and obj.pk is not None and not obj.is_published and self.has_publish_permission(request):
            context["publish_with_needs_url"] = reverse(
                admin_urlname(self.opts, "publish_with_needs"), args=[obj.pk], current_app=self.admin_site.name
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def publish_with_needs_view(self, request, object_id):
        """The change page's "Publish with what it needs": the record and what it needs."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        change_page = reverse(admin_urlname(self.opts, "change"), args=[obj.pk], current_app=self.admin_site.name)
        return self.publish_with_needs(request, [obj], back_url=change_page)

    def publish_with_needs(self, request, records: list, *, back_url: str, action: str = "") -> HttpResponse:
        if not self.has_publish_permission(request):
            raise PermissionDenied
        to_publish = with_needs(records)
        chosen = {(record._meta.label, record.pk) for record in records}
        needs = [record for record in to_publish if (record._meta.label, record.pk) not in chosen]
        # What the page listed, so that nothing the editor has not seen is published with it.
        listed = " ".join(f"{record._meta.label}:{record.pk}" for record in to_publish)
        confirmed = request.method == "POST" and bool(request.POST.get("confirm"))
        form = ChangeReasonForm(
            request.POST if confirmed else None, initial={"change_reason": "Published with what it needs"}
        )
        refusals = []
        if confirmed and form.is_valid():
            if request.POST.get("listed") != listed:
                refusals = ["What these records need has changed since the page was shown: check the list again."]
            else:
                try:
                    published = publish_together(request.user, to_publish, form.cleaned_data["change_reason"])
                except PublicationRefused as refused:
                    refusals = refused.reasons
                else:
                    names = "; ".join(f"{record._meta.verbose_name} “{record}”" for record in published)
                    self.message_user(request, f"{len(published)} published: {names}.", messages.SUCCESS)
                    return HttpResponseRedirect(back_url)
        context = {
            **self.admin_site.each_context(request),
            "title": "Publish with what it needs",
            "opts": self.opts,
            "records": [described(record) for record in records],
            "selected": [record.pk for record in records],
            "needs": [described(record) for record in needs],
            "listed": listed,
            "total": len(to_publish),
            "refusals": refusals,
            "back_url": back_url,
            "action": action,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "change_reason_form": form,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/editorial/publish_with_needs.html", context)


class EditorialInlineMixin:
    """Inlines showing `is_published`: read-only without the right to publish; a record
    published there needs its sources, as in its own form."""

    formset = PublishableInlineFormSet

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        # Only an editor publishes a row here; a researcher's rows stay drafts (`may_save_inline`).
        formset.checks_sources = can_publish(request.user, self.model)
        return formset

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not can_publish(request.user, self.model) and "is_published" not in fields:
            fields.append("is_published")
        return fields


MAX_IMPORT_BYTES = 5 * 1024 * 1024
# What each format's file must start with: a spreadsheet is a zip archive, a CSV is text.
XLSX_MAGIC = b"PK\x03\x04"


def check_import_file(upload, format_name: str) -> None:
    """Refuse (ValidationError) a file too large, or not of the chosen type."""
    if upload.size > MAX_IMPORT_BYTES:
        raise ValidationError(f"The file is {upload.size:,} bytes; the limit is {MAX_IMPORT_BYTES:,} bytes.")
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    if extension != format_name:
        raise ValidationError(f"The file's name should end in .{format_name} for the {format_name.upper()} format.")
    head = upload.read(2048)
    upload.seek(0)
    if format_name == "xlsx" and not head.startswith(XLSX_MAGIC):
        raise ValidationError("This is not an XLSX spreadsheet.")
    if format_name == "csv":
        try:
            head.decode("utf-8-sig")
        except UnicodeDecodeError:
            # A multi-byte character may be cut at the end of the sample.
            try:
                head[:-3].decode("utf-8-sig")
            except UnicodeDecodeError:
                raise ValidationError("This is not a UTF-8 CSV text file.") from None
        if b"\x00" in head:
            raise ValidationError("This is not a CSV text file.")


class CheckedImportForm(ImportForm):
    """django-import-export's import form, with the file's type and size checked."""

    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self.formats = formats

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("import_file")
        if upload is not None and cleaned.get("format") not in (None, ""):
            format_class = self.formats[int(cleaned["format"])]
            try:
                check_import_file(upload, format_class().get_extension())
            except ValidationError as error:
                self.add_error("import_file", error)
        return cleaned


class BulkImportExportMixin(ImportExportMixin):
    """CSV and spreadsheet import with a preview, and export (django-import-export)."""

    formats = [CSV, XLSX]
    import_form_class = CheckedImportForm


def add_refusal_to_form(form: forms.Form, refusal: ValidationError, renamed: dict[str, str] | None = None) -> None:
    """Show a model's or a write's ValidationError on the form that gave its values: each
    message on its field (named as the form names it, `renamed`), the rest above the form."""
    for name, errors in refusal.message_dict.items():
        name = (renamed or {}).get(name, name)
        form.add_error(name if name in form.fields else None, errors)
