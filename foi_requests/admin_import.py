"""The admin's upload form for FOI answers: upload, review and correct the extraction, save drafts.

The same reading and extraction as `manage.py import_foi_response`. The review page is a form for
each request the document holds: the researcher corrects its references, authority, dates, outcome
and exemptions, and its questions (split, merge, renumber, delete, each with its answer, outcome,
the kinds of tool and of safeguard it asks about, suggested from its words, and the exemptions its
answer cites), then saves the drafts, all or none. Nothing is written before "Save".
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field, replace
from pathlib import PurePath

from django import forms
from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from core.admin_mixins import add_refusal_to_form
from core.partial_dates import PartialDate, Precision, parse_written_date
from register.models import (
    SAFEGUARD_KINDS,
    Force,
    Question,
    QuestionCategory,
    QuestionOutcome,
    QuestionSafeguard,
    ToolCategory,
)
from register.originals import read_original, store_original

from .extraction import MAX_BYTES, Extraction, ExtractionError, read_document
from .importer import draft_from, draft_questions, extract_document, find_duplicate, known_exemption, parts_outcome
from .models import Exemption, FoiOutcome, FoiRequest
from .outcomes import request_outcome
from .pending_originals import PENDING_FOLDER, originals_storage
from .suggestions import suggested_safeguard_kinds, suggested_tool_kinds

# The uploaded file waits in PENDING_FOLDER, in the originals' private storage, between the upload
# and "Save", named in the review by a signed token (a forged one cannot point at another file).
PENDING_SALT = "foi_requests.import.original"


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
        data = upload.read()
        try:
            self.cleaned_data["text"] = read_document(upload.name, data)
        except ExtractionError as error:
            raise forms.ValidationError(f"{upload.name}: {error}.") from error
        self.cleaned_data["data"] = data
        return upload


def keep_pending_original(name: str, data: bytes) -> str:
    """Keep the uploaded file until the review is saved; returns the token that names it."""
    path = originals_storage().save(PENDING_FOLDER + PurePath(name).name, ContentFile(data))
    return signing.dumps({"path": path, "name": PurePath(name).name}, salt=PENDING_SALT)


class ConfirmForm(forms.Form):
    """What the review carries back, so that nothing is stored before "Save": the document's
    text and name, and the uploaded file kept aside (a signed token naming it)."""

    text = forms.CharField(widget=forms.HiddenInput, strip=False)
    source_name = forms.CharField(widget=forms.HiddenInput, max_length=200)
    original = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean_original(self) -> dict | None:
        token = self.cleaned_data["original"]
        if not token:
            return None
        try:
            pending = signing.loads(token, salt=PENDING_SALT)
        except signing.BadSignature:
            raise forms.ValidationError("The uploaded file was lost: upload it again.") from None
        if not originals_storage().exists(pending["path"]):
            raise forms.ValidationError("The uploaded file was lost: upload it again.")
        return pending


class WrittenDateField(forms.DateField):
    """A day as letters write it ("1 October 2019", "01/10/2019", "2019-10-01"), read by
    `parse_written_date`, which refuses an impossible or ambiguous date saying why."""

    def to_python(self, value):
        if isinstance(value, datetime.date):
            return value
        text = str(value or "").strip()
        if not text:
            return None
        try:
            written = parse_written_date(text)
        except ValueError as error:
            raise forms.ValidationError(str(error), code="invalid") from None
        if written.precision != Precision.DAY:
            raise forms.ValidationError(
                f"“{text}” gives no day: write the date on the letter, e.g. 1 October 2019.", code="no_day"
            )
        return written.earliest

    def prepare_value(self, value):
        if isinstance(value, datetime.date):
            return PartialDate(value.year, value.month, value.day).label
        return value


def exemption_choices() -> list[tuple[int, str]]:
    """Every exemption by citation and name, read once for all the forms of a page."""
    return [(exemption.pk, str(exemption)) for exemption in Exemption.objects.all()]


class ExemptionsField(forms.TypedMultipleChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Exemptions cited")
        super().__init__(
            coerce=int,
            required=False,
            widget=forms.SelectMultiple(attrs={"size": 5}),
            help_text="With their subsection. Hold Ctrl (⌘ on a Mac) to choose several.",
            **kwargs,
        )


class RequestReviewForm(forms.Form):
    """One request found in the document, as the researcher corrects it."""

    include = forms.BooleanField(label="Save this request", required=False, initial=True)
    references = forms.CharField(
        required=False,
        max_length=400,
        help_text="The authority's own reference first, then any others (a disclosure-log number), "
        "separated by commas.",
    )
    force = forms.ModelChoiceField(
        Force.objects.order_by("name"), label="Authority", required=False, empty_label="Choose the force that answered"
    )
    title = forms.CharField(max_length=300, help_text="The request's subject, e.g. “Predictive Policing”.")
    date_received = WrittenDateField(
        required=False, help_text="The day the authority received the request, e.g. 1 October 2019 or 01/10/2019."
    )
    date_responded = WrittenDateField(required=False, label="Date answered", help_text="The date on the answer.")
    outcome = forms.ChoiceField(choices=FoiOutcome.choices)
    exemptions = ExemptionsField(label="Exemptions the answer cites")

    def __init__(self, *args, exemptions: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["exemptions"].choices = exemptions

    def clean_references(self) -> list[str]:
        references = [ref.strip() for ref in self.cleaned_data["references"].split(",") if ref.strip()]
        if references and len(references[0]) > 100:
            raise forms.ValidationError("The first reference is longer than 100 characters.")
        if len(", ".join(references[1:])) > 300:
            raise forms.ValidationError("The other references are longer than 300 characters together.")
        return references

    def clean(self):
        data = super().clean()
        if data.get("include") and "force" in data and data["force"] is None:
            self.add_error("force", "Choose the force that answered: the document does not say.")
        return data


@dataclass
class ReviewedQuestion:
    """A question as the researcher left it on the review page."""

    number: str
    text: str
    answer: str = ""
    outcome: str = QuestionOutcome.NOT_ANSWERED
    categories: list[str] = field(default_factory=list)
    safeguards: list[str] = field(default_factory=list)
    exemptions: list[int] = field(default_factory=list)

    def as_initial(self) -> dict:
        return {
            "number": self.number,
            "text": self.text,
            "answer": self.answer,
            "outcome": self.outcome,
            "categories": self.categories,
            "safeguards": self.safeguards,
            "exemptions": self.exemptions,
        }


@dataclass
class QuestionEdit:
    """What the researcher asked of one question row beside its values."""

    question: ReviewedQuestion
    delete: bool = False
    merge_above: bool = False
    split_at: str = ""


def split_numbers(number: str, taken: set[str]) -> tuple[str, str]:
    """The numbers of a question split in two: "3" becomes "3a" and "3b"; "3a" keeps its
    number and the new part takes the next free letter ("3b"). Never a number in `taken`."""
    first = f"{number}a" if number.isdigit() and f"{number}a" not in taken else number
    base = number[:-1] if re.fullmatch(r"\d+[a-z]", number) else number
    for letter in "bcdefghijklmnopqrstuvwxyz":
        if (second := f"{base}{letter}") not in taken | {first}:
            return first, second
    return first, f"{number} (2)"


def split_question(question: ReviewedQuestion, at: str, taken: set[str]) -> tuple[ReviewedQuestion, ReviewedQuestion]:
    """Two questions from one, the second beginning at the words `at`: the first keeps the
    answer, outcome and exemptions; the second, not answered yet, gets the kinds its own
    words suggest."""
    position = question.text.lower().find(at.strip().lower())
    first_number, second_number = split_numbers(question.number, taken)
    second_text = question.text[position:].strip()
    first = replace(question, number=first_number, text=question.text[:position].strip())
    second = ReviewedQuestion(
        number=second_number,
        text=second_text,
        categories=suggested_tool_kinds(second_text),
        safeguards=suggested_safeguard_kinds(second_text),
    )
    return first, second


def merge_questions(above: ReviewedQuestion, below: ReviewedQuestion) -> ReviewedQuestion:
    """One question from two: texts and answers joined, kinds and exemptions of both,
    the outcome of both as of a question's parts (`importer.parts_outcome`)."""

    def both(first: list, second: list) -> list:
        return list(dict.fromkeys([*first, *second]))

    return ReviewedQuestion(
        number=above.number,
        text="\n".join(text for text in (above.text, below.text) if text),
        answer="\n".join(answer for answer in (above.answer, below.answer) if answer),
        outcome=parts_outcome([above.outcome, below.outcome]),
        categories=both(above.categories, below.categories),
        safeguards=both(above.safeguards, below.safeguards),
        exemptions=both(above.exemptions, below.exemptions),
    )


def apply_edits(edits: list[QuestionEdit]) -> list[ReviewedQuestion]:
    """The questions once rows are deleted, merged with the one above, then split, in order."""
    merged: list[ReviewedQuestion] = []
    splits: list[str] = []
    for edit in edits:
        if edit.delete:
            continue
        if edit.merge_above and merged:
            merged[-1] = merge_questions(merged[-1], edit.question)
            splits[-1] = splits[-1] or edit.split_at
        else:
            merged.append(edit.question)
            splits.append(edit.split_at)
    questions: list[ReviewedQuestion] = []
    for index, (question, split_at) in enumerate(zip(merged, splits, strict=True)):
        if split_at:
            taken = {q.number for q in questions} | {q.number for q in merged[index + 1 :]}
            questions.extend(split_question(question, split_at, taken))
        else:
            questions.append(question)
    return questions


def repeated_numbers(questions: list[ReviewedQuestion]) -> list[str]:
    """The numbers more than one question has: an answer numbers each question once."""
    numbers = [question.number for question in questions]
    return list(dict.fromkeys(number for number in numbers if numbers.count(number) > 1))


def summary_problems(
    outcome: str, exemptions: list[int], questions: list[ReviewedQuestion], citations: dict[int, str]
) -> dict[str, str]:
    """What the request states that its questions contradict, by field. Once questions are
    recorded, the request's outcome and exemptions follow from theirs (`apply_questions`):
    saving must not silently replace what the researcher chose."""
    if not questions:
        return {}
    problems = {}
    by_questions = request_outcome([question.outcome for question in questions], outcome)
    if by_questions != outcome:
        problems["outcome"] = (
            f"The questions' outcomes give “{FoiOutcome(by_questions).label}”, where this says "
            f"“{FoiOutcome(outcome).label}”: correct one or the other."
        )
    cited = {pk for question in questions for pk in question.exemptions}
    if uncited := [citations[pk] for pk in exemptions if pk not in cited]:
        problems["exemptions"] = (
            f"No question cites {', '.join(uncited)}: choose it on the questions it refused, or remove it here."
        )
    return problems


class QuestionReviewForm(forms.Form):
    number = forms.CharField(max_length=20, required=False, help_text="As numbered in the request, e.g. 1g.")
    text = forms.CharField(label="Question", widget=forms.Textarea(attrs={"rows": 3}))
    answer = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    outcome = forms.ChoiceField(choices=QuestionOutcome.choices, initial=QuestionOutcome.NOT_ANSWERED)
    categories = forms.MultipleChoiceField(
        label="Kinds of tool asked about",
        choices=ToolCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Suggested from the question's words: check them.",
    )
    safeguards = forms.MultipleChoiceField(
        label="Kinds of safeguard asked about",
        choices=[(kind.value, kind.label) for kind in SAFEGUARD_KINDS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    exemptions = ExemptionsField()
    split_at = forms.CharField(
        label="Split at",
        required=False,
        max_length=200,
        help_text="Words of the question where a second question begins: they and what follows become a new one.",
    )
    merge_above = forms.BooleanField(label="Merge with the question above", required=False)

    def __init__(self, *args, exemptions: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["exemptions"].choices = exemptions

    def clean(self):
        data = super().clean()
        split_at, text = data.get("split_at", "").strip(), data.get("text", "")
        if split_at and text:
            position = text.lower().find(split_at.lower())
            if position < 0:
                self.add_error("split_at", f"The question does not contain “{split_at}”.")
            elif position == 0:
                self.add_error("split_at", "These words begin the question: choose words where the second begins.")
        return data

    def edit(self) -> QuestionEdit:
        data = self.cleaned_data
        question = ReviewedQuestion(
            number=data["number"].strip(),
            text=data["text"],
            answer=data["answer"],
            outcome=data["outcome"],
            categories=data["categories"],
            safeguards=data["safeguards"],
            exemptions=data["exemptions"],
        )
        return QuestionEdit(question, merge_above=data["merge_above"], split_at=data["split_at"].strip())


class BaseQuestionReviewFormSet(forms.BaseFormSet):
    def clean(self):
        """The questions once deleted, merged and split (`self.questions`), each numbered once."""
        self.questions: list[ReviewedQuestion] = []
        if any(self.errors):
            return
        # A row ticked for deletion is left out whatever it holds (its errors are not shown).
        edits = [form.edit() for form in self.forms if form.cleaned_data and not self._should_delete_form(form)]
        if edits and edits[0].merge_above:
            raise ValidationError("The first question has no question above to merge with.")
        self.questions = apply_edits(edits)
        if repeated := repeated_numbers(self.questions):
            named = ", ".join(f"“{number}”" if number else "no number" for number in repeated)
            raise ValidationError(f"Each question needs its own number: {named} is given to more than one.")
        if too_long := [q.number for q in self.questions if len(q.number) > 20]:
            raise ValidationError(f"A question's number has at most 20 characters: renumber {', '.join(too_long)}.")


QuestionReviewFormSet = forms.formset_factory(
    QuestionReviewForm, formset=BaseQuestionReviewFormSet, extra=2, can_delete=True
)


def reviewed_questions(extraction: Extraction, act: str) -> list[ReviewedQuestion]:
    """The extraction's questions as the review first shows them: the outcome and exemptions
    their answers state (`importer.draft_questions`), the kinds their words suggest."""
    questions = []
    for draft in draft_questions(extraction):
        exemptions = [e.pk for citation in draft.citations if (e := known_exemption(citation, act))]
        questions.append(
            ReviewedQuestion(
                number=draft.number,
                text=draft.text,
                answer=draft.answer,
                outcome=draft.outcome,
                categories=suggested_tool_kinds(draft.text),
                safeguards=suggested_safeguard_kinds(draft.text),
                exemptions=list(dict.fromkeys(exemptions)),
            )
        )
    return questions


class RequestReview:
    """One request of the document on the review page: its form and its questions' formset."""

    def __init__(
        self,
        extraction: Extraction,
        index: int,
        *,
        exemptions: list[tuple[int, str]],
        data=None,
        force: Force | None = None,
        source_name: str = "",
    ):
        self.extraction = extraction
        self.number = index + 1
        self.exemption_labels = dict(exemptions)
        prefix = f"request-{index}"
        forces = {f.slug: f for f in Force.objects.all()} if data is None else {}
        authority = force or forces.get(extraction.authority or "")
        self.duplicate = find_duplicate(extraction, authority) if authority else None
        self.unknown_citations: list[str] = []
        initial, questions = None, None
        if data is None:
            act = authority.foi_act if authority else extraction.act
            known = []
            for citation in extraction.exemptions:
                if exemption := known_exemption(citation, act):
                    known.append(exemption.pk)
                else:
                    self.unknown_citations.append(f"{act} s{citation}")
            # The title and outcome a draft of it would take (the force's name only in a made-up title).
            draft = draft_from(extraction, authority or Force(name="its authority", slug=""), source_name)
            initial = {
                "include": self.duplicate is None,
                "references": ", ".join(extraction.references),
                "force": authority,
                "title": draft.title,
                "date_received": extraction.date_received,
                "date_responded": extraction.date_responded,
                "outcome": draft.outcome,
                "exemptions": list(dict.fromkeys(known)),
            }
            questions = [question.as_initial() for question in reviewed_questions(extraction, act)]
        self.form = RequestReviewForm(data, prefix=prefix, initial=initial, exemptions=exemptions)
        self.formset = QuestionReviewFormSet(
            data, prefix=f"{prefix}-questions", initial=questions, form_kwargs={"exemptions": exemptions}
        )
        self.draft: FoiRequest | None = None

    @property
    def included(self) -> bool:
        return self.form.is_valid() and self.form.cleaned_data["include"]

    def with_edits_applied(self) -> None:
        """Show the questions as split, merged and renumbered, for another look before saving."""
        if self.formset.is_valid():
            self.formset = QuestionReviewFormSet(
                prefix=self.formset.prefix,
                initial=[question.as_initial() for question in self.formset.questions],
                form_kwargs={"exemptions": list(self.exemption_labels.items())},
            )

    def is_valid(self, source_name: str) -> bool:
        """Whether the request can be saved as corrected: every field and question readable, the
        questions consistent with the request, and the draft valid as a record (`full_clean`)."""
        if not self.form.is_valid():
            self.formset.is_valid()  # its errors are shown too
            return False
        if not self.form.cleaned_data["include"]:
            return True
        if not self.formset.is_valid():
            return False
        data = self.form.cleaned_data
        draft = draft_from(self.extraction, data["force"], source_name)
        draft.reference = data["references"][0] if data["references"] else ""
        draft.other_references = ", ".join(data["references"][1:])
        for name in ("title", "date_received", "date_responded", "outcome"):
            setattr(draft, name, data[name])
        # Before any error is added: an error takes its field out of `cleaned_data`.
        problems = summary_problems(data["outcome"], data["exemptions"], self.formset.questions, self.exemption_labels)
        for name, problem in problems.items():
            self.form.add_error(name, problem)
        try:
            draft.full_clean(exclude=["slug", "source"])
        except ValidationError as error:
            add_refusal_to_form(self.form, error, renamed={"reference": "references", "other_references": "references"})
        self.draft = draft
        return not problems and self.form.is_valid()

    def save(self, original: tuple[str, bytes, str] | None) -> FoiRequest:
        """Write the draft, its questions and its archived original (inside the caller's transaction)."""
        foi_request = self.draft
        foi_request.save()
        foi_request.exemptions.set(self.form.cleaned_data["exemptions"])
        for reviewed in self.formset.questions:
            question = Question.objects.create(
                source=foi_request.source,
                number=reviewed.number,
                text=reviewed.text,
                answer=reviewed.answer,
                outcome=reviewed.outcome,
            )
            QuestionCategory.objects.bulk_create(
                QuestionCategory(question=question, category=c) for c in reviewed.categories
            )
            QuestionSafeguard.objects.bulk_create(
                QuestionSafeguard(question=question, kind=k) for k in reviewed.safeguards
            )
            question.exemptions.set(reviewed.exemptions)
        if original:
            name, data, text = original
            store_original(foi_request.source, name, data, text=text)
            foi_request.source.save()
        foi_request.apply_questions()
        return foi_request


def read_pending_original(pending: dict | None) -> tuple[str, bytes, str] | None:
    """The uploaded file kept aside: its name, bytes and text, checked again as an original."""
    if pending is None:
        return None
    with originals_storage().open(pending["path"], "rb") as handle:
        data = handle.read()
    return pending["name"], data, read_original(pending["name"], data)


def save_reviews(reviews: list[RequestReview], pending: dict | None) -> list[FoiRequest]:
    """Every request ticked, as corrected, all or none (one transaction); then the file kept aside goes."""
    original = read_pending_original(pending)
    with transaction.atomic():
        created = [review.save(original) for review in reviews if review.included]
    if pending:
        originals_storage().delete(pending["path"])
    return created


def save_and_redirect(request, reviews: list[RequestReview], pending: dict | None):
    """Save the reviewed drafts and go to the one saved (or the drafts); None to show the review again."""
    if not any(review.included for review in reviews):
        messages.warning(request, "Nothing was saved: no request was ticked to be saved.")
        return None
    try:
        created = save_reviews(reviews, pending)
    except ValidationError as error:  # the file kept aside, read again, is refused
        messages.error(request, f"Nothing was saved: {' '.join(error.messages)}")
        return redirect("admin:foi_requests_foirequest_import")
    except IntegrityError:  # two requests of the document given the same authority and reference
        messages.error(request, "Nothing was saved: two requests have the same authority and reference. Correct one.")
        return None
    messages.success(request, f"Saved {len(created)} draft request(s) for checking. Drafts are not published.")
    if len(created) == 1:
        return redirect("admin:foi_requests_foirequest_change", created[0].pk)
    return redirect(reverse("admin:foi_requests_foirequest_changelist") + "?is_published__exact=0")


def import_view(model_admin, request):
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": "Import an FOI answer",
    }
    review_page = "admin/foi_requests/foirequest/import_review.html"
    if request.method == "POST" and ("confirm" in request.POST or "update" in request.POST):
        confirm = ConfirmForm(request.POST)
        if not confirm.is_valid():
            messages.error(request, "The reviewed document was lost: upload it again.")
            return redirect("admin:foi_requests_foirequest_import")
        text, source_name = confirm.cleaned_data["text"], confirm.cleaned_data["source_name"]
        try:
            extractions = extract_document(text)
        except ExtractionError as error:
            messages.error(request, f"Nothing was saved: {error}.")
            return redirect("admin:foi_requests_foirequest_import")
        choices = exemption_choices()
        reviews = [
            RequestReview(extraction, index, exemptions=choices, data=request.POST)
            for index, extraction in enumerate(extractions)
        ]
        if "update" in request.POST:
            for review in reviews:
                review.with_edits_applied()
        else:
            checked = [review.is_valid(source_name) for review in reviews]  # each, so that every error shows
            if all(checked) and (response := save_and_redirect(request, reviews, confirm.cleaned_data["original"])):
                return response
        context.update(
            reviews=reviews, confirm=confirm, source_name=source_name, title="Check and correct the extraction"
        )
        return TemplateResponse(request, review_page, context)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        text, force, name = form.cleaned_data["text"], form.cleaned_data["force"], form.cleaned_data["document"].name
        try:
            extractions = extract_document(text)
        except ExtractionError as error:
            form.add_error("document", f"{name}: {error}.")
        else:
            choices = exemption_choices()
            context.update(
                reviews=[
                    RequestReview(extraction, index, exemptions=choices, force=force, source_name=name)
                    for index, extraction in enumerate(extractions)
                ],
                source_name=name,
                confirm=ConfirmForm(
                    initial={
                        "text": text,
                        "source_name": name[:200],
                        "original": keep_pending_original(name, form.cleaned_data["data"]),
                    }
                ),
                title="Check and correct the extraction",
            )
            return TemplateResponse(request, review_page, context)
    context["form"] = form
    return TemplateResponse(request, "admin/foi_requests/foirequest/import.html", context)
