"""The public's correction form: its fields, the checks on an attached file, and the
guards against automated posts (`guards`)."""

from django import forms
from django.core.exceptions import ValidationError

from register.originals import read_upload

from . import guards
from .models import Correction, CorrectionKind
from .records import find_record, label, parse_reference, reference

TEXT_LIMIT = 5000


class CorrectionForm(forms.Form):
    # Spam caught by the guards: counted against the sender's hourly limit like a send.
    spam_codes = ("honeypot", "too_fast")

    record = forms.CharField(required=False, widget=forms.HiddenInput)
    kind = forms.ChoiceField(
        label="What are you telling us about?",
        choices=CorrectionKind.choices,
        initial=CorrectionKind.WRONG,
        widget=forms.RadioSelect,
    )
    what_is_wrong = forms.CharField(
        label="What is wrong, or what the FOI answer says",
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Name the page or record if it is not the one shown above. For an FOI answer we lack, "
        "say which force answered, its reference and its date.",
    )
    should_say = forms.CharField(
        label="What should it say? (optional)",
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    source_url = forms.URLField(
        label="Address of your source",
        required=False,
        max_length=2000,
        assume_scheme="https",
        help_text="Where the FOI answer or document is published, e.g. a force's disclosure log "
        "or WhatDoTheyKnow. If it is not online, attach it below instead.",
    )
    attachment = forms.FileField(
        label="Or attach the document (optional)",
        required=False,
        help_text="A PDF, Word (.docx), HTML or text file, at most 10 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.html,.htm,.txt"}),
    )
    sender_name = forms.CharField(label="Your name (optional)", required=False, max_length=200)
    sender_email = forms.EmailField(
        label="Your email (optional)",
        required=False,
        help_text="Only if you are happy for an editor to ask you about it. Never published.",
    )
    # Hidden from people (and their screen readers) by the stylesheet; scripts fill it in.
    website = forms.CharField(label="Leave this field empty", required=False)
    opened = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["website"].widget.attrs.update(autocomplete="off", tabindex="-1")
        self.fields["sender_name"].widget.attrs.update(autocomplete="name")
        self.fields["sender_email"].widget.attrs.update(autocomplete="email")
        if not self.is_bound:
            self.initial["opened"] = guards.opened_token()

    def clean_record(self):
        value = self.cleaned_data["record"]
        if not value:
            return None
        record = find_record(value)
        if record is None:
            raise ValidationError("The record this correction is about is not in the register.", code="no_record")
        return record

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if upload:
            # The same checks as an archived original: extension, content and size.
            read_upload(upload, label="The file")
        return upload

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website"):
            raise ValidationError(
                "This looks like an automated post: the field “Leave this field empty” was filled in.",
                code="honeypot",
            )
        try:
            guards.seconds_since_opened(self.data.get("opened", ""))
        except guards.FormTooFast:
            raise ValidationError(
                "The form was sent too quickly to have been filled in by a person. Check it and send it again.",
                code="too_fast",
            ) from None
        except guards.FormExpired:
            raise ValidationError(
                "The form had expired. Your text is kept below: check it and send it again.", code="expired"
            ) from None
        if not cleaned.get("source_url") and not cleaned.get("attachment") and "attachment" not in self.errors:
            self.add_error("source_url", "Give the address of your source, or attach the document.")
        return cleaned

    @property
    def is_spam(self) -> bool:
        return any(error.code in self.spam_codes for error in self.non_field_errors().as_data())

    @property
    def is_expired(self) -> bool:
        return any(error.code == "expired" for error in self.non_field_errors().as_data())

    def correction(self) -> Correction:
        """The unsaved correction from a valid form."""
        data = self.cleaned_data
        record = data["record"]
        correction = Correction(
            kind=data["kind"],
            what_is_wrong=data["what_is_wrong"],
            should_say=data["should_say"],
            source_url=data["source_url"],
            sender_name=data["sender_name"],
            sender_email=data["sender_email"],
        )
        if data["attachment"]:
            correction.attachment = data["attachment"]
        if record is not None:
            correction.record_kind, correction.record_id = parse_reference(reference(record))
            correction.record_label = label(record)[:300]
        return correction
