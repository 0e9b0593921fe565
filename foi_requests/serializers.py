"""How the API shows and accepts FOI requests and exemptions.

The requester's name and email address are personal data (UK GDPR): they are
in no serializer, and the request and answer texts are always served with them
redacted (`public_request_text`, `public_response_text`).
"""

from django.urls import reverse
from django.utils.functional import cached_property
from drf_spectacular.utils import OpenApiExample, extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from register.models import SAFEGUARD_KINDS, Force, QuestionOutcome, ToolCategory
from register.serializers import (
    ORIGINAL_URL_HELP,
    READ_ONLY_TIMESTAMPS,
    SHA256_HELP,
    TIMESTAMPS,
    ApiUrlField,
    PageUrlField,
    RecordSerializer,
    public_original_url,
)

from .deadlines import DeadlineStatus
from .exemptions import exemption_code, split_exemption_code
from .models import Exemption, FoiRequest


class ExemptionUrlField(ApiUrlField):
    def get_url(self, obj, view_name, request, format):
        path = reverse(view_name, kwargs={"code": exemption_code(obj.act, obj.section)})
        return request.build_absolute_uri(path) if request else path


class ExemptionSerializer(serializers.ModelSerializer):
    url = ExemptionUrlField(view_name="api:exemption-detail")
    code = serializers.SerializerMethodField(help_text="The act and section, e.g. `FOIA-12(1)`: its identifier.")
    citation = serializers.CharField(read_only=True, help_text="As written in an answer, e.g. `FOIA s12(1)`.")

    class Meta:
        model = Exemption
        fields = ["url", "code", "act", "section", "citation", "name"]

    def get_code(self, exemption) -> str:
        return exemption_code(exemption.act, exemption.section)


@extend_schema_field(ExemptionSerializer)
class ExemptionRelatedField(serializers.RelatedField):
    """Shown as the exemption itself; written as its code ("FOIA-12(1)") or
    as an object with a `code`."""

    default_error_messages = {"does_not_exist": "No exemption {code} is recorded.", "invalid": "{reason}."}

    def to_representation(self, exemption):
        return self.exemption_serializer.to_representation(exemption)

    @cached_property
    def exemption_serializer(self) -> ExemptionSerializer:
        # One for every exemption of the list: building a serializer builds its fields again.
        return ExemptionSerializer(context=self.context)

    def to_internal_value(self, data):
        code = data.get("code") if isinstance(data, dict) else data
        if not isinstance(code, str):
            self.fail("invalid", reason="Give an exemption code such as FOIA-12(1)")
        try:
            act, section = split_exemption_code(code)
        except ValueError as error:
            self.fail("invalid", reason=str(error))
        try:
            return self.get_queryset().get(act=act, section=section)
        except Exemption.DoesNotExist:
            self.fail("does_not_exist", code=code)


class QuestionSerializer(serializers.Serializer):
    """One question of a request and how the force answered it (documents `question_data`)."""

    number = serializers.CharField(help_text="As numbered in the request, e.g. `1g`; empty for the whole request.")
    text = serializers.CharField(help_text="The question as sent, without the requester's name.")
    answer = serializers.CharField(help_text="The force's answer to it, without the requester's name.")
    outcome = serializers.ChoiceField(choices=QuestionOutcome.choices, help_text="How the force answered it.")
    categories = serializers.ListField(
        child=serializers.ChoiceField(choices=ToolCategory.choices), help_text="The kinds of tool it asks about."
    )
    safeguards = serializers.ListField(
        child=serializers.ChoiceField(choices=[(kind.value, kind.label) for kind in SAFEGUARD_KINDS]),
        help_text="The kinds of safeguard it asks about (a DPIA, bias testing...).",
    )
    exemptions = serializers.ListField(
        child=serializers.CharField(),
        help_text="The codes of the exemptions its answer cites, with their subsection, e.g. `FOIA-31(3)`.",
    )


def question_data(question, foi_request: FoiRequest) -> dict:
    """A question as the API shows it, its texts redacted as the request's are; from prefetched rows."""
    return {
        "number": question.number,
        "text": foi_request.redact(question.text, from_requester=True),
        "answer": foi_request.redact(question.answer),
        "outcome": question.outcome,
        "categories": question.category_values,
        "safeguards": question.safeguard_values,
        "exemptions": [exemption_code(exemption.act, exemption.section) for exemption in question.exemptions.all()],
    }


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A late answer",
            value={
                "url": "http://127.0.0.1:8000/api/foi-requests/lancashire-dpo-foi-002128-22/",
                "html_url": "http://127.0.0.1:8000/foi-requests/lancashire-dpo-foi-002128-22/",
                "slug": "lancashire-dpo-foi-002128-22",
                "force": "lancashire",
                "force_name": "Lancashire Constabulary",
                "reference": "DPO/FOI/002128/22",
                "other_references": "",
                "references": ["DPO/FOI/002128/22"],
                "title": "Predictive Policing",
                "request_text": "1. Does your force use ...",
                "response_text": "Dear [requester], ...",
                "date_received": "2022-06-29",
                "date_responded": "2022-10-06",
                "outcome": "partially_successful",
                "exemptions": [
                    {
                        "url": "http://127.0.0.1:8000/api/exemptions/FOIA-12(1)/",
                        "code": "FOIA-12(1)",
                        "act": "FOIA",
                        "section": "12(1)",
                        "citation": "FOIA s12(1)",
                        "name": "Cost of compliance exceeds the appropriate limit",
                    }
                ],
                "categories_asked": ["individual_risk"],
                "questions": [
                    {
                        "number": "1",
                        "text": "Digital dashboards: any tool which processes and ...",
                        "answer": "",
                        "outcome": "exempt",
                        "categories": ["dashboard"],
                        "safeguards": [],
                        "exemptions": ["FOIA-12(1)"],
                    }
                ],
                "source_url": "https://www.whatdotheyknow.com/request/predictive_policing",
                "source_document": "",
                "is_published": True,
                "created_at": "2026-11-21T10:00:00Z",
                "updated_at": "2026-11-21T10:00:00Z",
            },
            response_only=True,
        )
    ]
)
class FoiRequestSerializer(RecordSerializer):
    url = ApiUrlField(view_name="api:foirequest-detail", lookup_field="slug")
    html_url = PageUrlField()
    slug = serializers.SlugField(
        max_length=150, required=False, help_text="Left out, it is made from the authority and the reference."
    )
    force = serializers.SlugRelatedField(
        slug_field="slug", queryset=Force.objects.all(), help_text="The authority: the force's slug."
    )
    force_name = serializers.CharField(source="force.name", read_only=True)
    references = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text="The reference and every other reference."
    )
    exemptions = ExemptionRelatedField(many=True, queryset=Exemption.objects.all(), required=False)
    categories_asked = serializers.SerializerMethodField(help_text="Tool categories the questions covered.")
    questions = serializers.SerializerMethodField(
        help_text="The request's questions, each with the force's answer, its outcome, the exemptions it cites "
        "and the kinds of tool and of safeguard it asks about. Where they are recorded, the request's `outcome`, "
        "`exemptions` and `categories_asked` follow from them."
    )
    due_date = serializers.DateField(
        read_only=True,
        allow_null=True,
        help_text="By law: the 20th working day after receipt (FOIA s10, FOISA s10); null without a receipt date.",
    )
    working_days_taken = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="Working days from receipt (or clarification) to the answer."
    )
    deadline_status = serializers.ChoiceField(
        choices=list(DeadlineStatus.LABELS.items()),
        read_only=True,
        help_text="Answered on time or late, overdue, not yet due, or unknown when a date is missing.",
    )

    # The answer's original as the force published it (its address is `source_url`).
    original_url = serializers.SerializerMethodField(help_text=ORIGINAL_URL_HELP)
    original_sha256 = serializers.CharField(source="source.original_sha256", read_only=True, help_text=SHA256_HELP)
    original_size = serializers.IntegerField(
        source="source.original_size", read_only=True, allow_null=True, help_text="Its size in bytes."
    )
    original_retrieved = serializers.DateField(
        source="source.original_retrieved", read_only=True, allow_null=True, help_text="The day it was retrieved."
    )

    class Meta:
        model = FoiRequest
        fields = [
            "url",
            "html_url",
            "slug",
            "force",
            "force_name",
            "reference",
            "other_references",
            "references",
            "title",
            "request_text",
            "response_text",
            "date_received",
            "date_responded",
            "outcome",
            "exemptions",
            "categories_asked",
            "questions",
            "due_date",
            "deadline_status",
            "working_days_taken",
            "clarification_requested",
            "clarification_received",
            "extended_due_date",
            "internal_review_requested",
            "internal_review_completed",
            "internal_review_outcome",
            "ico_decision_notice",
            "source_url",
            "source_document",
            "original_url",
            "original_sha256",
            "original_size",
            "original_retrieved",
            *TIMESTAMPS,
        ]
        extra_kwargs = READ_ONLY_TIMESTAMPS
        csv_summaries = {
            "exemptions": lambda item: item["code"],
            "questions": lambda item: f"{item['number'] or 'whole request'}: {item['outcome']}",
        }

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_original_url(self, foi_request) -> str | None:
        return public_original_url(foi_request.source, self.context.get("request"))

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=ToolCategory.choices)))
    def get_categories_asked(self, foi_request) -> list[str]:
        return [asked.category for asked in foi_request.categories_asked.all()]

    @extend_schema_field(QuestionSerializer(many=True))
    def get_questions(self, foi_request) -> list[dict]:
        return [question_data(question, foi_request) for question in foi_request.source.questions.all()]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        # Whatever the reader's rights, the texts go out without the requester.
        data["request_text"] = instance.public_request_text
        data["response_text"] = instance.public_response_text
        return data
