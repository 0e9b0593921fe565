"""How the API shows and accepts the register's records.

Every serializer's fields are its record's declared public shape
(`PUBLIC_FIELDS` on the model) with the fields the API derives beside them, so
a field added to a model never leaks by accident: it is public once declared
there. Writes run the model's own validation (`full_clean`: field choices,
`clean()`, the database constraints) so that a bad value is a 400 on that field
rather than a database error.
"""

import copy

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, extend_schema_field, extend_schema_serializer
from rest_framework import exceptions, serializers

from core.partial_dates import ACCEPTED_FORMS, PartialDate, Precision, parse_written_date
from core.publishing import check_publication_change, check_sources

from .date_rules import CONFIRM_DATES_LABEL
from .models import (
    SAFEGUARD_KINDS,
    Assessment,
    AssessmentKind,
    Deployment,
    Evidence,
    FoiAct,
    Force,
    RegisterRecord,
    SafeguardState,
    Source,
    SourceKind,
    Supplier,
    Tool,
    safeguard_state_name,
)
from .sourcing import facts_left_unsourced


@extend_schema_field(
    {
        "type": "string",
        "example": "2021-11",
        # No pattern: a write may give the date as people write it; an answer is always ISO text.
        "description": (
            "A date as precise as the source, answered as YYYY, YYYY-MM or YYYY-MM-DD with its precision "
            f"beside it. A write may also give it as people write it: {ACCEPTED_FORMS}."
        ),
    }
)
class PartialDateField(serializers.Field):
    """A date known to the year, the month or the day: answered as ISO text,
    accepted as people write it ("March 2020", "01/10/2019") too."""

    default_error_messages = {"invalid": f"Enter a date as text: {ACCEPTED_FORMS}."}

    def to_representation(self, value: PartialDate) -> str:
        return value.isoformat()

    def to_internal_value(self, data) -> PartialDate:
        if not isinstance(data, str):
            self.fail("invalid")
        try:
            return parse_written_date(data)
        except ValueError as error:
            raise serializers.ValidationError(str(error), code="invalid") from None


class PrecisionField(serializers.ChoiceField):
    """How precise a partial date is: year, month or day (null when no date)."""

    def __init__(self, **kwargs):
        super().__init__(choices=Precision.choices, read_only=True, allow_null=True, **kwargs)

    def to_representation(self, value: PartialDate) -> str:
        return value.precision.value


@extend_schema_field(OpenApiTypes.URI)
class PageUrlField(serializers.Field):
    """The record's public page on the register's website."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        kwargs.setdefault("source", "*")
        super().__init__(**kwargs)

    def to_representation(self, value) -> str:
        request = self.context.get("request")
        path = value.get_absolute_url()
        return request.build_absolute_uri(path) if request else path


class ApiUrlField(serializers.HyperlinkedIdentityField):
    """The record's address in the API, without the `?format=` of the request
    that listed it, so a CSV row links to the JSON record."""

    def get_url(self, obj, view_name, request, format):
        lookup_value = getattr(obj, self.lookup_field)
        path = reverse(view_name, kwargs={self.lookup_url_kwarg: lookup_value})
        return request.build_absolute_uri(path) if request else path


ORIGINAL_URL_HELP = (
    "The register's archived copy of the original as published (the redacted copy where there is one); null "
    "until an editor has checked it for personal data."
)
SHA256_HELP = "SHA-256 of the archived original, to check a copy against; empty without one."


def public_original_url(source, request=None) -> str | None:
    """The address of a source's original the public may download, or None."""
    url = source.public_original_url
    if not url:
        return None
    return request.build_absolute_uri(url) if request else url


class EvidenceSerializer(serializers.Serializer):
    """The passage of a source that supports a fact, and where to read it."""

    quote = serializers.CharField(read_only=True, help_text="The passage, word for word.")
    field = serializers.CharField(
        read_only=True, help_text="The field it supports, e.g. `started`; empty: the record as a whole."
    )
    source_label = serializers.CharField(read_only=True, help_text="E.g. “FOI DPO/FOI/002128/22, question 1g”.")
    foi_request = serializers.SerializerMethodField(help_text="The FOI request's slug, if the source is one.")
    question_number = serializers.CharField(read_only=True, help_text="The question answered, e.g. `1g`.")
    document_title = serializers.SerializerMethodField(help_text="For a published document, its title.")
    document_url = serializers.SerializerMethodField(help_text="For a published document, its address.")
    source_url = serializers.SerializerMethodField(help_text="The FOI request's page, or the document's address.")

    def get_foi_request(self, evidence) -> str | None:
        return evidence.source.slug if evidence.is_from_foi_answer else None

    def get_document_title(self, evidence) -> str:
        return "" if evidence.is_from_foi_answer else evidence.source.title

    def get_document_url(self, evidence) -> str:
        return "" if evidence.is_from_foi_answer else evidence.source.url

    @extend_schema_field(OpenApiTypes.URI)
    def get_source_url(self, evidence) -> str:
        request = self.context.get("request")
        url = evidence.source_url
        return request.build_absolute_uri(url) if request and url.startswith("/") else url

    # The source's original, so that a reader can check the quote against it.
    published_url = serializers.SerializerMethodField(
        help_text="Where the source was published (a disclosure log, a PDF, a request-tracking site); null if "
        "not recorded."
    )
    original_url = serializers.SerializerMethodField(help_text=ORIGINAL_URL_HELP)
    original_sha256 = serializers.CharField(source="source.original_sha256", read_only=True, help_text=SHA256_HELP)
    original_size = serializers.IntegerField(
        source="source.original_size", read_only=True, allow_null=True, help_text="Its size in bytes."
    )
    original_retrieved = serializers.DateField(
        source="source.original_retrieved", read_only=True, allow_null=True, help_text="The day it was retrieved."
    )

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_published_url(self, evidence) -> str | None:
        return evidence.source.original_address or None

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_original_url(self, evidence) -> str | None:
        return public_original_url(evidence.source, self.context.get("request"))


class TextOnly:
    """Refuses a JSON number or boolean where text is expected (DRF would store `0` as "0")."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class TextField(TextOnly, serializers.CharField):
    pass


class SlugTextField(TextOnly, serializers.SlugField):
    pass


class UrlTextField(TextOnly, serializers.URLField):
    pass


class EmailTextField(TextOnly, serializers.EmailField):
    pass


def shows_drafts(context: dict) -> bool:
    """Whether the reader may see drafts: a researcher on an API view that says so."""
    view = context.get("view")
    return bool(getattr(view, "shows_drafts", False))


class RecordSerializer(serializers.ModelSerializer):
    """Runs the model's validation and the publication rule on writes.

    Researchers create and edit drafts; only editors (the `publish_<model>`
    permission) may publish, unpublish or change a published record: the same
    rule as the admin (`core.publishing`). A refusal is a 403. A published record
    must have a quote for each fact it shows (`check_sources`): a 400 on `is_published`.
    """

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: TextField,
        models.TextField: TextField,
        models.SlugField: SlugTextField,
        models.URLField: UrlTextField,
        models.EmailField: EmailTextField,
    }

    def validate(self, attrs):
        attrs = super().validate(attrs)
        model = self.Meta.model
        instance = copy.copy(self.instance) if self.instance is not None else model()
        many_to_many = {field.name for field in model._meta.many_to_many}
        for name, value in attrs.items():
            if name not in many_to_many:
                setattr(instance, name, value)
        try:
            instance.full_clean(exclude=many_to_many)
        except DjangoValidationError as error:
            detail = serializers.as_serializer_error(error)
            if "__all__" in detail:
                detail["non_field_errors"] = detail.pop("__all__")
            raise serializers.ValidationError(detail) from None
        # What the model's validation wrote its own way (an exemption cited as "FOIA s31(1)(a)") is saved so.
        attrs = {name: value if name in many_to_many else getattr(instance, name) for name, value in attrs.items()}
        if hasattr(instance, "is_published") and "request" in self.context:
            try:
                check_publication_change(self.context["request"].user, instance)
            except DjangoPermissionDenied as refused:
                raise exceptions.PermissionDenied(str(refused)) from refused
        try:
            check_sources(instance)  # a published record shows no fact without a quote: a 400 on is_published
        except DjangoValidationError as refused:
            raise serializers.ValidationError(refused.message_dict) from None
        return attrs


FACT_EVIDENCE_HELP = (
    "The evidence for this record's facts: each quote names the field it supports (`field`; empty: the "
    "record itself, which also carries its name, its links and a tool's category). A field's value is the "
    "data as recorded; the register's pages show it only where a published quote here supports it, and "
    "“Not disclosed” otherwise."
)


def public_fields(model, **derived: list[str]) -> list[str]:
    """The record's public fields in their declared order (`model.PUBLIC_FIELDS`),
    each followed by the fields the API derives from it: `started=["started_precision"]`."""
    if unknown := set(derived) - set(model.PUBLIC_FIELDS):
        raise ValueError(f"not public fields of {model.__name__}: {', '.join(sorted(unknown))}")
    return [name for field in model.PUBLIC_FIELDS for name in (field, *derived.get(field, ()))]


TIMESTAMPS = list(RegisterRecord.PUBLICATION_FIELDS)
READ_ONLY_TIMESTAMPS = {name: {"read_only": True} for name in ("created_at", "updated_at")}


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Lancashire",
            value={
                "url": "http://127.0.0.1:8000/api/forces/lancashire/",
                "html_url": "http://127.0.0.1:8000/forces/lancashire/",
                "slug": "lancashire",
                "name": "Lancashire Constabulary",
                "nation": "england",
                "kind": "territorial",
                "foi_act": "FOIA",
                "website": "https://www.lancashire.police.uk/",
                "is_published": True,
                "created_at": "2026-11-21T10:00:00Z",
                "updated_at": "2026-11-21T10:00:00Z",
            },
            response_only=True,
        )
    ]
)
class ForceSerializer(RecordSerializer):
    url = ApiUrlField(view_name="api:force-detail", lookup_field="slug")
    html_url = PageUrlField()
    foi_act = serializers.ChoiceField(
        choices=FoiAct.choices,
        read_only=True,
        help_text="The access-to-information law it answers under (follows its nation).",
    )

    class Meta:
        model = Force
        fields = ["url", "html_url", *public_fields(Force, kind=["foi_act"]), *TIMESTAMPS]
        extra_kwargs = READ_ONLY_TIMESTAMPS


class SupplierSerializer(RecordSerializer):
    url = ApiUrlField(view_name="api:supplier-detail", lookup_field="slug")
    force = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Force.objects.all(),
        allow_null=True,
        required=False,
        help_text="Set only when the supplier is a team inside a force: that force's slug.",
    )
    evidence = EvidenceSerializer(many=True, read_only=True, help_text=FACT_EVIDENCE_HELP)

    class Meta:
        model = Supplier
        fields = ["url", *public_fields(Supplier), "evidence", *TIMESTAMPS]
        extra_kwargs = READ_ONLY_TIMESTAMPS
        csv_summaries = {"evidence": lambda item: item["source_label"]}


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "IOM Model",
            value={
                "url": "http://127.0.0.1:8000/api/tools/iom-model/",
                "html_url": "http://127.0.0.1:8000/tools/iom-model/",
                "slug": "iom-model",
                "name": "IOM Model",
                "category": "individual_risk",
                "technique": "statistical_model",
                "origin": "in_house",
                "supplier": None,
                "supplier_name": None,
                "description": "Scores individuals managed under Integrated Offender Management.",
                "inputs": "",
                "outputs": "",
                "evidence": [],
                "is_published": True,
                "created_at": "2026-11-21T10:00:00Z",
                "updated_at": "2026-11-21T10:00:00Z",
            },
            response_only=True,
        )
    ]
)
class ToolSerializer(RecordSerializer):
    url = ApiUrlField(view_name="api:tool-detail", lookup_field="slug")
    html_url = PageUrlField()
    supplier = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Supplier.objects.all(),
        allow_null=True,
        required=False,
        help_text="Who made it: the supplier's slug. Null when no source names one.",
    )
    supplier_name = serializers.SerializerMethodField(help_text="The supplier's name, or null.")
    evidence = EvidenceSerializer(many=True, read_only=True, help_text=FACT_EVIDENCE_HELP)

    class Meta:
        model = Tool
        fields = ["url", "html_url", *public_fields(Tool, supplier=["supplier_name"]), "evidence", *TIMESTAMPS]
        extra_kwargs = READ_ONLY_TIMESTAMPS
        csv_summaries = {"evidence": lambda item: item["source_label"]}

    def get_supplier_name(self, tool) -> str | None:
        supplier = tool.supplier if shows_drafts(self.context) else tool.published_supplier
        return supplier.name if supplier else None

    def to_representation(self, tool):
        data = super().to_representation(tool)
        if not shows_drafts(self.context) and tool.published_supplier is None:
            data["supplier"] = None  # a draft supplier is not named to the public
        return data


def confirm_dates_field() -> serializers.BooleanField:
    return serializers.BooleanField(
        write_only=True,
        required=False,
        help_text=(
            f"“{CONFIRM_DATES_LABEL}”. Unusual but possible dates (an assessment after its deployment "
            "ended; a deployment “in use” whose end has passed) are a 400 on their field until a write "
            "sends `true` here, after checking them against the source. Impossible dates (an end before "
            "the start, a date after today) are refused whatever it says. Never stored or returned."
        ),
    )


class ConfirmDatesMixin:
    """Passes `confirm_dates` to the model's `clean()` (RecordSerializer sets each
    attribute on the instance it validates), then drops it: it is not a field."""

    def validate(self, attrs):
        attrs = super().validate(attrs)
        attrs.pop("confirm_dates", None)
        return attrs


class NestedAssessmentSerializer(serializers.ModelSerializer):
    """An assessment as shown inside its deployment."""

    conducted = PartialDateField(allow_null=True, read_only=True)
    conducted_precision = PrecisionField(source="conducted")
    evidence = EvidenceSerializer(many=True, read_only=True, help_text=FACT_EVIDENCE_HELP)

    class Meta:
        model = Assessment
        fields = [
            *(name for name in public_fields(Assessment, conducted=["conducted_precision"]) if name != "deployment"),
            "evidence",
        ]
        read_only_fields = fields


class SafeguardStateField(serializers.ChoiceField):
    """A deployment's state for one kind of safeguard (`Deployment.safeguard_states()`)."""

    def __init__(self, kind: AssessmentKind, **kwargs):
        self.kind = kind
        states = ", ".join(f"`{state.value}` ({state.label.lower()})" for state in SafeguardState)
        kwargs.setdefault(
            "help_text",
            f"Its state for this safeguard ({kind.label}): {states}. The strongest result among its published "
            "assessments of this kind; without one, whether a published FOI question to the force covered both "
            "this safeguard and the tool's kind.",
        )
        super().__init__(choices=SafeguardState.choices, read_only=True, source="*", **kwargs)

    def to_representation(self, deployment) -> str:
        return deployment.safeguard_state_of(self.kind).value


SAFEGUARD_STATE_FIELDS = [safeguard_state_name(kind) for kind in SAFEGUARD_KINDS]


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A deployment known to the month",
            value={
                "url": "http://127.0.0.1:8000/api/deployments/1/",
                "html_url": "http://127.0.0.1:8000/deployments/lancashire/xd/",
                "id": 1,
                "force": "lancashire",
                "force_name": "Lancashire Constabulary",
                "tool": "xd",
                "tool_name": "XD",
                "status": "in_use",
                "started": "2021-11",
                "started_precision": "month",
                "ended": None,
                "ended_precision": None,
                "purpose": "Mapping crime hotspots for patrol planning.",
                "data_used": "",
                "decisions_supported": "",
                "users": "",
                "training": "",
                "human_oversight": "",
                "scale": "",
                "cost": "",
                "assessments": [],
                "dpia_state": "not_answered",
                "equality_state": "not_answered",
                "privacy_state": "never_asked",
                "legal_opinion_state": "never_asked",
                "ethics_review_state": "never_asked",
                "bias_testing_state": "never_asked",
                "evidence": [],
                "is_published": True,
                "created_at": "2026-11-21T10:00:00Z",
                "updated_at": "2026-11-21T10:00:00Z",
            },
            response_only=True,
        )
    ]
)
class DeploymentSerializer(ConfirmDatesMixin, RecordSerializer):
    url = ApiUrlField(view_name="api:deployment-detail")
    html_url = PageUrlField()
    force = serializers.SlugRelatedField(slug_field="slug", queryset=Force.objects.all(), help_text="The force's slug.")
    force_name = serializers.CharField(source="force.name", read_only=True)
    tool = serializers.SlugRelatedField(slug_field="slug", queryset=Tool.objects.all(), help_text="The tool's slug.")
    tool_name = serializers.CharField(source="tool.name", read_only=True)
    started = PartialDateField(allow_null=True, required=False)
    started_precision = PrecisionField(source="started")
    ended = PartialDateField(allow_null=True, required=False)
    ended_precision = PrecisionField(source="ended")
    assessments = NestedAssessmentSerializer(many=True, read_only=True)
    # One per kind of safeguard, named as its filter (SAFEGUARD_STATE_FIELDS).
    dpia_state = SafeguardStateField(AssessmentKind.DPIA)
    equality_state = SafeguardStateField(AssessmentKind.EQUALITY)
    privacy_state = SafeguardStateField(AssessmentKind.PRIVACY)
    legal_opinion_state = SafeguardStateField(AssessmentKind.LEGAL_OPINION)
    ethics_review_state = SafeguardStateField(AssessmentKind.ETHICS_REVIEW)
    bias_testing_state = SafeguardStateField(AssessmentKind.BIAS_TESTING)
    evidence = EvidenceSerializer(many=True, read_only=True, help_text=FACT_EVIDENCE_HELP)
    confirm_dates = confirm_dates_field()

    class Meta:
        model = Deployment
        fields = [
            "url",
            "html_url",
            *public_fields(
                Deployment,
                force=["force_name"],
                tool=["tool_name"],
                started=["started_precision"],
                ended=["ended_precision"],
            ),
            "assessments",
            *SAFEGUARD_STATE_FIELDS,
            "evidence",
            *TIMESTAMPS,
            "confirm_dates",
        ]
        extra_kwargs = READ_ONLY_TIMESTAMPS
        csv_summaries = {
            "assessments": lambda item: f"{item['kind']}: {item['result']}",
            "evidence": lambda item: item["source_label"],
        }

    def update(self, instance, validated_data):
        deployment = super().update(instance, validated_data)
        deployment.forget_safeguard_states()  # another tool or force changes them
        return deployment


class AssessmentSerializer(ConfirmDatesMixin, RecordSerializer):
    url = ApiUrlField(view_name="api:assessment-detail")
    deployment = serializers.PrimaryKeyRelatedField(
        queryset=Deployment.objects.all(), help_text="The id of the deployment it is a safeguard on."
    )
    force = serializers.CharField(source="deployment.force.slug", read_only=True, help_text="The force's slug.")
    tool = serializers.CharField(source="deployment.tool.slug", read_only=True, help_text="The tool's slug.")
    conducted = PartialDateField(allow_null=True, required=False)
    conducted_precision = PrecisionField(source="conducted")
    evidence = EvidenceSerializer(many=True, read_only=True, help_text=FACT_EVIDENCE_HELP)
    confirm_dates = confirm_dates_field()

    class Meta:
        model = Assessment
        fields = [
            "url",
            *public_fields(Assessment, deployment=["force", "tool"], conducted=["conducted_precision"]),
            "evidence",
            *TIMESTAMPS,
            "confirm_dates",
        ]
        extra_kwargs = READ_ONLY_TIMESTAMPS
        csv_summaries = {"evidence": lambda item: item["source_label"]}


# Evidence as a resource of its own (`/api/evidence/`): read, and written with its quote checked.

SELECTOR_SCHEMA = {
    "type": "array",
    "nullable": True,
    "description": "Where the quote sits in its source's text, as the W3C Web Annotation model anchors a "
    "passage: a TextQuoteSelector (the exact text, with a little of what precedes and follows it) and a "
    "TextPositionSelector (its offsets in the source's text, in characters). Null when the source's text "
    "has not been recorded (a document's quotes are then not checked).",
    "items": {
        "type": "object",
        "properties": {
            "type": {"type": "string", "enum": ["TextQuoteSelector", "TextPositionSelector"]},
            "exact": {"type": "string"},
            "prefix": {"type": "string"},
            "suffix": {"type": "string"},
            "start": {"type": "integer", "minimum": 0},
            "end": {"type": "integer", "minimum": 0},
        },
        "required": ["type"],
    },
}


def passage_selector(evidence: Evidence) -> list[dict] | None:
    """The quote's place in its source's text as W3C Web Annotation selectors (None when it has none)."""
    start, end = evidence.quote_start, evidence.quote_end
    if start is None or end is None:
        return None
    return [
        {
            "type": "TextQuoteSelector",
            "exact": evidence.source.text[start:end],
            "prefix": evidence.quote_prefix,
            "suffix": evidence.quote_suffix,
        },
        {"type": "TextPositionSelector", "start": start, "end": end},
    ]


class FoiAnswerField(serializers.SlugRelatedField):
    """The FOI request whose answer is quoted, by the request's slug; null for a published document."""

    def __init__(self, **kwargs):
        queryset = Source.objects.filter(kind=SourceKind.FOI_ANSWER)
        super().__init__(slug_field="slug", queryset=queryset, **kwargs)

    def get_attribute(self, evidence):
        return evidence.source

    def to_representation(self, source) -> str | None:
        return source.slug if source.kind == SourceKind.FOI_ANSWER else None


def absolute(context: dict, path: str) -> str:
    request = context.get("request")
    return request.build_absolute_uri(path) if request and path.startswith("/") else path


class EvidenceRecordSerializer(RecordSerializer):
    """A passage of a source and the register fact it supports. Written, its quote must
    appear in the source's text by the rule the admin and the seed loader use (line
    breaks, spaces, quote marks and dashes may differ; "…" joins passages in order)."""

    url = ApiUrlField(view_name="api:evidence-detail", lookup_field="pk")
    source = serializers.PrimaryKeyRelatedField(
        queryset=Source.objects.all(),
        required=False,
        help_text="The source's id. Or give `foi_request` instead, for an FOI answer.",
    )
    source_label = serializers.CharField(read_only=True, help_text="E.g. “FOI DPO/FOI/002128/22, question 1g”.")
    foi_request = FoiAnswerField(
        required=False,
        allow_null=True,
        help_text="The FOI request whose answer is quoted, by its slug (instead of `source`); null for a document.",
    )
    record_kind = serializers.SerializerMethodField(help_text="Which kind of record it supports.")
    tool = serializers.SlugRelatedField(
        slug_field="slug", queryset=Tool.objects.all(), allow_null=True, required=False, help_text="A tool's slug."
    )
    deployment = serializers.PrimaryKeyRelatedField(
        queryset=Deployment.objects.all(), allow_null=True, required=False, help_text="A deployment's id."
    )
    assessment = serializers.PrimaryKeyRelatedField(
        queryset=Assessment.objects.all(), allow_null=True, required=False, help_text="An assessment's id."
    )
    supplier = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Supplier.objects.all(),
        allow_null=True,
        required=False,
        help_text="A supplier's slug.",
    )
    field = TextField(
        required=False,
        allow_blank=True,
        help_text="The fact it supports, one of its record's facts (`started`, `status`...: the error for a "
        "wrong one lists them); empty: the record as a whole (that it exists).",
    )
    field_label = serializers.CharField(read_only=True, help_text="The fact as its page labels it, e.g. “Since”.")
    selector = serializers.SerializerMethodField()
    passage_url = serializers.SerializerMethodField(
        help_text="The source's page in the register, opened at the passage, marked there."
    )
    source_url = serializers.SerializerMethodField(help_text="The FOI request's page, or the document's address.")
    published_url = serializers.SerializerMethodField(help_text="Where the source was published, if recorded.")
    original_url = serializers.SerializerMethodField(
        help_text="The archived original, once an editor has checked it for personal data (or a redacted copy); "
        "else null."
    )

    class Meta:
        model = Evidence
        fields = [
            "url",
            "id",
            "source",
            "source_label",
            "foi_request",
            "question_number",
            "quote",
            "record_kind",
            *Evidence.TARGETS,
            "field",
            "field_label",
            "selector",
            "passage_url",
            "source_url",
            "published_url",
            "original_url",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]

    @extend_schema_field({"type": "string", "enum": list(Evidence.TARGETS), "nullable": True})
    def get_record_kind(self, evidence) -> str | None:
        return next((name for name in Evidence.TARGETS if getattr(evidence, f"{name}_id")), None)

    @extend_schema_field(SELECTOR_SCHEMA)
    def get_selector(self, evidence):
        return passage_selector(evidence)

    @extend_schema_field(OpenApiTypes.URI)
    def get_passage_url(self, evidence) -> str:
        return absolute(self.context, evidence.passage_url)

    @extend_schema_field(OpenApiTypes.URI)
    def get_source_url(self, evidence) -> str:
        return absolute(self.context, evidence.source_url)

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_published_url(self, evidence) -> str | None:
        return evidence.source.original_address or None

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_original_url(self, evidence) -> str | None:
        return absolute(self.context, evidence.source.public_original_url) or None

    def validate(self, attrs):
        # The source: by id, or an FOI answer by its request's slug (not both, unless they agree).
        answer = attrs.pop("foi_request", None)
        if answer is not None:
            if attrs.get("source") not in (None, answer):
                raise serializers.ValidationError(
                    {"foi_request": "Give the source once: its id (`source`) or its FOI request (`foi_request`)."}
                )
            attrs["source"] = answer
        if self.instance is None and attrs.get("source") is None:
            raise serializers.ValidationError(
                {"source": "Give the source quoted: its id (`source`), or its FOI request's slug (`foi_request`)."}
            )
        self.check_fact(attrs)
        attrs = super().validate(attrs)
        if self.instance is not None:
            changed = copy.copy(self.instance)
            for name, value in attrs.items():
                setattr(changed, name, value)
            if reasons := facts_left_unsourced(saved=[changed]):
                raise serializers.ValidationError({"field": reasons})
        return attrs

    def check_fact(self, attrs) -> None:
        """The fact must be one of its record's, named as the API names it (a 400 listing them)."""
        field = attrs.get("field", self.instance.field if self.instance else "")
        chosen = [name for name in Evidence.TARGETS if self.target_after(attrs, name) is not None]
        if not field or len(chosen) != 1:
            return  # the model's own check names what is wrong with the record
        model = Evidence._meta.get_field(chosen[0]).related_model
        if field not in model.FACTS:
            facts = ", ".join(f"`{name}` ({label})" for name, label in model.FACTS.items())
            kind = model._meta.verbose_name
            raise serializers.ValidationError(
                {"field": f"No fact “{field}” on this {kind}: give one of {facts}, or leave it empty."}
            )

    def target_after(self, attrs, name: str):
        if name in attrs:
            return attrs[name]
        return getattr(self.instance, name) if self.instance is not None else None
