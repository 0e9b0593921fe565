"""The admin's "Make a fact from this answer": one form, on an FOI request's answer, that turns
a passage into evidence for a tool, its deployment at the request's force or a safeguard,
creating the drafts it needs (`facts_from_passages.record_fact`). With JavaScript, the text
selected in the answer fills the passage; without, the researcher pastes it."""

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator

from core.admin_mixins import CHANGE_REASON_HELP, CHANGE_REASON_MAX_LENGTH, add_refusal_to_form, recorded_from
from register.date_rules import CONFIRM_DATES_HELP, CONFIRM_DATES_LABEL
from register.models import (
    RECORD_ITSELF,
    AssessmentKind,
    AssessmentResult,
    Evidence,
    Question,
    Tool,
    ToolCategory,
    fact_choices,
)

from .facts_from_passages import (
    FACT_RECORDS,
    date_hint,
    dates_in_passage,
    is_date_fact,
    may,
    question_holding,
    record_fact,
)
from .models import FoiRequest

# How the fact list names each kind of record.
RECORD_HEADINGS = {"tool": "The tool", "deployment": "Its use by {force}", "assessment": "A safeguard of that use"}


def fact_options(force) -> list[tuple[str, list[tuple[str, str]]]]:
    """The facts to choose from, by record, labelled as the public pages label them: "deployment:started"."""
    return [
        (
            RECORD_HEADINGS[record].format(force=force),
            [(f"{record}:{name}", label) for name, label in fact_choices(model)],
        )
        for record, model in FACT_RECORDS.items()
    ]


def choice_options() -> list[tuple[str, list[tuple[str, str]]]]:
    """The values of the facts chosen from a list (a status, a result...), by fact: "deployment:status=in_use"."""
    options = []
    for record, model in FACT_RECORDS.items():
        for name, label in model.FACTS.items():
            model_field = model._meta.get_field(name)
            if model_field.choices and not model_field.is_relation:
                group = f"{model._meta.verbose_name.capitalize()}: {label}"
                options.append((group, [(f"{record}:{name}={value}", text) for value, text in model_field.choices]))
    return options


class FactFromPassageForm(forms.Form):
    passage = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Select it in the answer above, or paste it: word for word (line breaks, spaces, quote marks "
        "and dashes may differ; join passages with “…”).",
    )
    question_number = forms.ChoiceField(
        label="Question answered", required=False, help_text="Left empty, the question whose answer holds it."
    )
    tool = forms.ModelChoiceField(
        Tool.objects.order_by("name"), required=False, empty_label="A new tool (name it below)"
    )
    new_tool_name = forms.CharField(label="New tool's name", max_length=200, required=False)
    new_tool_category = forms.ChoiceField(
        label="New tool's category", choices=[("", "---------"), *ToolCategory.choices], required=False
    )
    safeguard_kind = forms.ChoiceField(
        label="Kind of safeguard",
        choices=[("", "---------"), *AssessmentKind.choices],
        required=False,
        help_text="For a fact of a safeguard: the use's assessment of this kind, a new draft if it has none.",
    )
    safeguard_result = forms.ChoiceField(
        label="Result of a new safeguard", choices=AssessmentResult.choices, initial=AssessmentResult.CONDUCTED
    )
    new_safeguard = forms.BooleanField(label="A new one, even if one of this kind is on record", required=False)
    fact = forms.ChoiceField(label="Fact the passage supports")
    value = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Left empty, the value on record stays (a date fact takes the date the passage gives).",
    )
    chosen_value = forms.ChoiceField(label="Or, for a fact chosen from a list, its value", required=False)
    confirm_dates = forms.BooleanField(label=CONFIRM_DATES_LABEL, required=False, help_text=CONFIRM_DATES_HELP)
    change_reason = forms.CharField(
        label="Reason for this change", max_length=CHANGE_REASON_MAX_LENGTH, help_text=CHANGE_REASON_HELP
    )

    def __init__(self, *args, foi_request: FoiRequest, questions: list[Question], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["question_number"].choices = [
            ("", "---------"),
            *((q.number, f"{q}: {Truncator(q.text).chars(70)}") for q in questions),
        ]
        self.fields["fact"].choices = fact_options(foi_request.force)
        self.fields["chosen_value"].choices = [("", "---------"), *choice_options()]

    def clean(self):
        data = super().clean()
        if "fact" in data:
            data["record"], data["fact"] = data["fact"].split(":", 1)
        chosen = data.get("chosen_value")
        if chosen and "fact" in data:
            fact, value = chosen.split("=", 1)
            if fact != f"{data['record']}:{data['fact']}":
                self.add_error("chosen_value", "This value is of another fact than the one chosen.")
            else:
                data["value"] = value
        return data


def success_message(foi_request: FoiRequest, made) -> str:
    def link(record) -> tuple[str, str, str]:
        opts = record._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])
        return (url, opts.verbose_name, str(record))

    parts = [
        ("Created", made.created),
        ("Changed", made.changed),
        ("Quoted as evidence", made.evidence),
    ]
    listed = format_html_join(
        " ",
        "{}: {}.",
        (
            (verb, format_html_join(", ", '<a href="{}">{} “{}”</a>', (link(record) for record in records)))
            for verb, records in parts
            if records
        ),
    )
    # The page the fact shows on (a safeguard's is its deployment's): staff preview it as a draft.
    page = made.evidence[-1].target_url if made.evidence else ""
    preview = format_html(' <a href="{}">Preview its public page</a>.', page) if page else ""
    return format_html(
        "Recorded from {}, as drafts. {}{} Next fact: select another passage.", foi_request, listed, preview
    )


# The form's parts, in the order a researcher fills them in; the reason goes beside the button.
FIELDSETS = [
    ("The passage", ["passage", "question_number"]),
    (
        "What it is about",
        ["tool", "new_tool_name", "new_tool_category", "safeguard_kind", "safeguard_result", "new_safeguard"],
    ),
    ("The fact", ["fact", "value", "chosen_value", "confirm_dates"]),
]


def fact_from_passage_view(model_admin, request, object_id):
    foi_request = model_admin.get_object(request, unquote(object_id))
    if foi_request is None:
        raise Http404("No such FOI request.")
    if not model_admin.has_view_permission(request, foi_request) or not may(request.user, "add", Evidence):
        raise PermissionDenied
    questions = list(Question.objects.filter(source_id=foi_request.source_id).order_by("pk"))
    source = foi_request.source
    form_kwargs = {"foi_request": foi_request, "questions": questions}
    if request.method == "POST":
        form = FactFromPassageForm(request.POST, **form_kwargs)
        if form.is_valid():
            data = form.cleaned_data
            try:
                made = record_fact(
                    foi_request=foi_request,
                    passage=data["passage"],
                    question_number=data["question_number"] or question_holding(data["passage"], questions),
                    record=data["record"],
                    fact=data["fact"],
                    value=data["value"],
                    tool=data["tool"],
                    new_tool_name=data["new_tool_name"],
                    new_tool_category=data["new_tool_category"],
                    safeguard_kind=data["safeguard_kind"],
                    safeguard_result=data["safeguard_result"],
                    new_safeguard=data["new_safeguard"],
                    confirm_dates=data["confirm_dates"],
                    user=request.user,
                    reason=data["change_reason"],
                )
            except ValidationError as refused:
                add_refusal_to_form(form, refused)
            else:
                messages.success(request, success_message(foi_request, made))
                return redirect(request.path)
    else:
        passage = request.GET.get("passage", "")
        fact = request.GET.get("fact", "")
        initial = {
            "passage": passage,
            "question_number": question_holding(passage, questions),
            "fact": fact,
            "change_reason": recorded_from([source.label]),
        }
        record, _, name = fact.partition(":")
        dates = dates_in_passage(passage)
        if record in FACT_RECORDS and name in FACT_RECORDS[record].FACTS and is_date_fact(FACT_RECORDS[record], name):
            initial["value"] = dates[0] if dates else ""
        form = FactFromPassageForm(initial=initial, **form_kwargs)
    passage = form["passage"].value() or ""
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": "Make a fact from this answer",
        "foi_request": foi_request,
        "answer": foi_request.public_response_text,
        "form": form,
        "dates": date_hint(passage),
        "record_itself": RECORD_ITSELF,
        "change_url": reverse("admin:foi_requests_foirequest_change", args=[foi_request.pk]),
        "fieldsets": [(title, [form[name] for name in names]) for title, names in FIELDSETS],
    }
    request.current_app = model_admin.admin_site.name
    return TemplateResponse(request, "admin/foi_requests/foirequest/fact_from_passage.html", context)
