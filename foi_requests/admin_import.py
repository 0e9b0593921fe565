"""The admin's upload form for FOI answers: upload, review the extraction, save drafts.

The same reading and extraction as `manage.py import_foi_response`; the review
step shows what was found before anything is written.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from register.models import Force

from .extraction import MAX_BYTES, ExtractionError, read_document
from .importer import CREATED, extract_document, find_duplicate, save_drafts


class UploadForm(forms.Form):
    document = forms.FileField(
        help_text=f"A .txt, .pdf, .docx or saved .html page, at most {MAX_BYTES // (1024 * 1024)} MB."
    )
    force = forms.ModelChoiceField(
        Force.objects.all(), required=False, help_text="The force that answered, if the document does not say."
    )

    def clean_document(self):
        upload = self.cleaned_data["document"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB.")
        try:
            self.cleaned_data["text"] = read_document(upload.name, upload.read())
        except ExtractionError as error:
            raise forms.ValidationError(f"{upload.name}: {error}.") from error
        return upload


class ConfirmForm(forms.Form):
    """The reviewed document's text travels back in a hidden field, so nothing is stored before "Save"."""

    text = forms.CharField(widget=forms.HiddenInput, strip=False)
    source_name = forms.CharField(widget=forms.HiddenInput, max_length=200)
    force = forms.ModelChoiceField(Force.objects.all(), required=False, widget=forms.HiddenInput)


def extractions_for_review(text: str, force: Force | None) -> tuple[list[dict], list[str]]:
    """Each extraction with its authority and any duplicate, and the problems that block saving."""
    rows, problems = [], []
    forces = {f.slug: f for f in Force.objects.all()}
    for extraction in extract_document(text):
        authority = force or forces.get(extraction.authority or "")
        duplicate = find_duplicate(extraction, authority) if authority else None
        if authority is None:
            problems.append("The document does not say which force answered: choose the force and upload it again.")
        rows.append(
            {"extraction": extraction, "data": extraction.as_json(), "authority": authority, "duplicate": duplicate}
        )
    return rows, problems


def import_view(model_admin, request):
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": "Import an FOI answer",
    }
    if request.method == "POST" and "confirm" in request.POST:
        confirm = ConfirmForm(request.POST)
        if confirm.is_valid():
            data = confirm.cleaned_data
            try:
                results = save_drafts(extract_document(data["text"]), data["source_name"], data["force"])
            except ExtractionError as error:
                messages.error(request, f"Nothing was saved: {error}.")
                return redirect("admin:foi_requests_foirequest_import")
            created = [r.foi_request for r in results if r.status == CREATED]
            for result in results:
                for note in result.notes:
                    messages.warning(request, f"Check the draft {result.foi_request}: it {note}.")
            skipped = len(results) - len(created)
            messages.success(
                request,
                f"Saved {len(created)} draft request(s) for checking; skipped {skipped} already recorded. "
                "Drafts are not published.",
            )
            if len(created) == 1:
                return redirect("admin:foi_requests_foirequest_change", created[0].pk)
            return redirect(reverse("admin:foi_requests_foirequest_changelist") + "?is_published__exact=0")
        messages.error(request, "The reviewed document was lost: upload it again.")
        return redirect("admin:foi_requests_foirequest_import")
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        text, force = form.cleaned_data["text"], form.cleaned_data["force"]
        rows, problems = extractions_for_review(text, force)
        context.update(
            rows=rows,
            problems=problems,
            source_name=form.cleaned_data["document"].name,
            confirm=ConfirmForm(
                initial={"text": text, "source_name": form.cleaned_data["document"].name[:200], "force": force}
            ),
            title="Check the extraction",
        )
        return TemplateResponse(request, "admin/foi_requests/foirequest/import_review.html", context)
    context["form"] = form
    return TemplateResponse(request, "admin/foi_requests/foirequest/import.html", context)
