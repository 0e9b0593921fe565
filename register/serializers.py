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

from core.partial_dates import PartialDate, Precision
from core.publishing import check_publication_change

from .date_rules import CONFIRM_DATES_LABEL
from .models import Assessment, Deployment, FoiAct, Force, RegisterRecord, Supplier, Tool

PARTIAL_DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"


@extend_schema_field(
    {
        "type": "string",
        "pattern": PARTIAL_DATE_PATTERN,
        "example": "2021-11",
        "description": "A date as precise as the source: YYYY, YYYY-MM or YYYY-MM-DD.",
    }
)
class PartialDateField(serializers.Field):
    """A date known to the year, the month or the day, written as ISO text."""

    default_error_messages = {"invalid": "Enter a date as YYYY (2008), YYYY-MM (2021-11) or YYYY-MM-DD (2019-11-27)."}

    def to_representation(self, value: PartialDate) -> str:
        return value.isoformat()

    def to_internal_value(self, data) -> PartialDate:
        if not isinstance(data, str):
            self.fail("invalid")
        try:
            return PartialDate.parse(data)
        except ValueError as error:
            raise serializers.ValidationError(f"{self.error_messages['invalid']} {error}.") from None


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
    rule as the admin (`core.publishing`). A refusal is a 403.
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
        if hasattr(instance, "is_published") and "request" in self.context:
            try:
                check_publication_change(self.context["request"].user, instance)
            except DjangoPermissionDenied as refused:
                raise exceptions.PermissionDenied(str(refused)) from refused
        return attrs


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
    evidence = EvidenceSerializer(many=True, read_only=True)

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
    evidence = EvidenceSerializer(many=True, read_only=True)

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
    evidence = EvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = Assessment
        fields = [
            *(name for name in public_fields(Assessment, conducted=["conducted_precision"]) if name != "deployment"),
            "evidence",
        ]
        read_only_fields = fields


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
    evidence = EvidenceSerializer(many=True, read_only=True)
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
            "evidence",
            *TIMESTAMPS,
            "confirm_dates",
        ]
        extra_kwargs = READ_ONLY_TIMESTAMPS
        csv_summaries = {
            "assessments": lambda item: f"{item['kind']}: {item['result']}",
            "evidence": lambda item: item["source_label"],
        }


class AssessmentSerializer(ConfirmDatesMixin, RecordSerializer):
    url = ApiUrlField(view_name="api:assessment-detail")
    deployment = serializers.PrimaryKeyRelatedField(
        queryset=Deployment.objects.all(), help_text="The id of the deployment it is a safeguard on."
    )
    force = serializers.CharField(source="deployment.force.slug", read_only=True, help_text="The force's slug.")
    tool = serializers.CharField(source="deployment.tool.slug", read_only=True, help_text="The tool's slug.")
    conducted = PartialDateField(allow_null=True, required=False)
    conducted_precision = PrecisionField(source="conducted")
    evidence = EvidenceSerializer(many=True, read_only=True)
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
