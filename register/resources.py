"""Bulk import and export (django-import-export) of forces, tools, deployments,
assessments and evidence, as CSV or XLSX.

An import is all or nothing: it runs in one transaction, every row is checked
by the model's own validation, and a file with any bad row writes nothing and
lists each bad row with its reason. Records are matched by their natural
identifiers (slugs), so a file exported here can be edited and imported back.
"""

import datetime

from django.core.exceptions import ValidationError
from import_export import fields, resources, widgets

from core.partial_dates import PartialDate, PartialDateField, parse_written_date
from core.publishing import check_sources

from .models import Assessment, Deployment, Evidence, Force, Source, SourceKind, Supplier, Tool
from .sourcing import facts_left_unsourced


class PartialDateWidget(widgets.Widget):
    """A date as people write it ("2008", "Nov 2021", "27/11/2019", "2021-11"); empty for not disclosed."""

    def clean(self, value, row=None, **kwargs):
        if value is None or str(value).strip() == "":
            return None
        if isinstance(value, datetime.date):
            # A spreadsheet's date cell holds a day even when it shows "Nov-21".
            raise ValueError("a spreadsheet date cell does not say how precise the source is: enter the date as text")
        # The ISO text, as a form would give it: the field parses and validates it.
        return parse_written_date(str(value)).isoformat()

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return value.isoformat() if isinstance(value, PartialDate) else str(value)


class SlugWidget(widgets.ForeignKeyWidget):
    """A related record named by its slug; an unknown slug is a row error with the reason."""

    def __init__(self, model, **kwargs):
        super().__init__(model, field="slug", **kwargs)

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except self.model.DoesNotExist as exc:
            raise ValueError(f"no {self.model._meta.verbose_name} with slug “{value}”") from exc


class DeploymentWidget(widgets.ForeignKeyWidget):
    """A deployment named by its force and tool slugs: "kent/crime-mapping"."""

    def __init__(self, **kwargs):
        super().__init__(Deployment, **kwargs)

    def clean(self, value, row=None, **kwargs):
        if not value:
            return None
        force_slug, _, tool_slug = str(value).strip().partition("/")
        try:
            return Deployment.objects.get(force__slug=force_slug, tool__slug=tool_slug)
        except Deployment.DoesNotExist as exc:
            raise ValueError(f"no deployment “{value}” (write it as force-slug/tool-slug)") from exc

    def render(self, value, obj=None, **kwargs):
        return f"{value.force.slug}/{value.tool.slug}" if value else ""


class RegisterResource(resources.ModelResource):
    """Shared options: transactional, validated, unchanged rows skipped."""

    # A blank text cell is an empty text, as exported: a spreadsheet reads it back as None,
    # which a text column must not take (django-import-export maps only CharField to CharWidget).
    WIDGETS_MAP = {**resources.ModelResource.WIDGETS_MAP, "TextField": widgets.CharWidget}

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        # Each date as the record holds it (a PartialDate, not its text), so that a row
        # repeating the stored date is unchanged, and skipped.
        for field in instance._meta.concrete_fields:
            if isinstance(field, PartialDateField):
                setattr(instance, field.attname, field.to_python(getattr(instance, field.attname)))

    def before_save_instance(self, instance, row, **kwargs):
        instance._change_reason = "Bulk import"

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        # A row that publishes a record showing a fact with no quote is a bad row, with the facts listed.
        errors = dict(import_validation_errors or {})
        if "is_published" not in errors:
            try:
                check_sources(instance)
            except ValidationError as refused:
                errors["is_published"] = ValidationError(refused.messages, code="unsourced")
        super().validate_instance(instance, errors, validate_unique)

    def import_data(self, *args, **kwargs):
        # One bad row rolls back the whole file, even past the preview step.
        kwargs["rollback_on_validation_errors"] = True
        return super().import_data(*args, **kwargs)

    class Meta:
        use_transactions = True
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True


def columns(model, *, without: tuple[str, ...] = ()) -> list[str]:
    """A record's columns: its public fields in their declared order
    (`model.PUBLIC_FIELDS`), then its publication (the timestamps are the database's)."""
    return [name for name in model.PUBLIC_FIELDS if name not in without] + ["is_published"]


class ForceResource(RegisterResource):
    class Meta(RegisterResource.Meta):
        model = Force
        import_id_fields = ["slug"]
        fields = columns(Force)


class ToolResource(RegisterResource):
    supplier = fields.Field(attribute="supplier", column_name="supplier", widget=SlugWidget(Supplier))

    class Meta(RegisterResource.Meta):
        model = Tool
        import_id_fields = ["slug"]
        fields = columns(Tool)


class DeploymentResource(RegisterResource):
    force = fields.Field(attribute="force", column_name="force", widget=SlugWidget(Force))
    tool = fields.Field(attribute="tool", column_name="tool", widget=SlugWidget(Tool))
    started = fields.Field(attribute="started", column_name="started", widget=PartialDateWidget())
    ended = fields.Field(attribute="ended", column_name="ended", widget=PartialDateWidget())

    class Meta(RegisterResource.Meta):
        model = Deployment
        import_id_fields = ["force", "tool"]
        fields = columns(Deployment, without=("id",))  # a file names a deployment by its force and tool

    def get_queryset(self):
        return super().get_queryset().select_related("force", "tool")


class AssessmentResource(RegisterResource):
    deployment = fields.Field(attribute="deployment", column_name="deployment", widget=DeploymentWidget())
    conducted = fields.Field(attribute="conducted", column_name="conducted", widget=PartialDateWidget())

    class Meta(RegisterResource.Meta):
        model = Assessment
        import_id_fields = ["id"]
        fields = columns(Assessment)

    def get_queryset(self):
        return super().get_queryset().select_related("deployment__force", "deployment__tool")


class SourceWidget(widgets.ForeignKeyWidget):
    """The source quoted: its id in the `source` column, or an FOI answer named by its
    request's slug in the `foi_request` column."""

    def __init__(self, **kwargs):
        super().__init__(Source, **kwargs)

    def clean(self, value, row=None, **kwargs):
        slug = str((row or {}).get("foi_request") or "").strip()
        by_slug = None
        if slug:
            by_slug = Source.objects.filter(kind=SourceKind.FOI_ANSWER, slug=slug).first()
            if by_slug is None:
                raise ValueError(f"no FOI request with slug “{slug}”")
        if value in (None, ""):
            if by_slug is None:
                raise ValueError("give the source: its id (source) or its FOI request's slug (foi_request)")
            return by_slug
        try:
            source = Source.objects.get(pk=int(float(value)))  # a spreadsheet may give 12.0
        except (ValueError, Source.DoesNotExist) as exc:
            raise ValueError(f"no source with id “{value}”") from exc
        if by_slug is not None and by_slug != source:
            raise ValueError(f"source {value} is not the answer to the FOI request “{slug}”: give one of them")
        return source


class FactWidget(widgets.CharWidget):
    """The fact a quote supports: as the API names it (`started`) or as the record's page labels
    it (“Since”), for the kind of record the row's quote supports; empty for the record itself."""

    def clean(self, value, row=None, **kwargs):
        value = str(value or "").strip()
        kinds = [name for name in Evidence.TARGETS if str((row or {}).get(name) or "").strip()]
        if not value or len(kinds) != 1:
            return value  # the model's checks name what is wrong
        facts = Evidence._meta.get_field(kinds[0]).related_model.FACTS
        by_label = {label.casefold(): name for name, label in facts.items()}
        return value if value in facts else by_label.get(value.casefold(), value)


class EvidenceResource(RegisterResource):
    """Quotes and the facts they support. Each row's quote is checked against its source's text
    (`Evidence.clean`, the one rule): a row whose quote is not there is a bad row."""

    source = fields.Field(attribute="source", column_name="source", widget=SourceWidget())
    foi_request = fields.Field(column_name="foi_request")  # read by the source's widget; exported for reading
    tool = fields.Field(attribute="tool", column_name="tool", widget=SlugWidget(Tool))
    deployment = fields.Field(attribute="deployment", column_name="deployment", widget=DeploymentWidget())
    assessment = fields.Field(
        attribute="assessment", column_name="assessment", widget=widgets.ForeignKeyWidget(Assessment)
    )
    supplier = fields.Field(attribute="supplier", column_name="supplier", widget=SlugWidget(Supplier))
    field = fields.Field(attribute="field", column_name="field", widget=FactWidget())

    class Meta(RegisterResource.Meta):
        model = Evidence
        import_id_fields = ["id"]
        fields = ["id", "source", "foi_request", "question_number", "quote", *Evidence.TARGETS, "field"]

    def before_import_row(self, row, **kwargs):
        # A file may name its sources by FOI request only: the source's widget still reads the row.
        row.setdefault("source", "")

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        # A row may not take away the only quote of a published record's fact.
        errors = dict(import_validation_errors or {})
        if "field" not in errors and (reasons := facts_left_unsourced(saved=[instance])):
            errors["field"] = ValidationError(reasons, code="unsourced")
        super().validate_instance(instance, errors, validate_unique)

    def get_queryset(self):
        return super().get_queryset().select_related("source", "deployment__force", "deployment__tool")

    def dehydrate_foi_request(self, evidence) -> str:
        return evidence.source.slug if evidence.source.kind == SourceKind.FOI_ANSWER else ""
