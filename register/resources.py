"""Bulk import and export (django-import-export) of forces, tools, deployments
and assessments, as CSV or XLSX.

An import is all or nothing: it runs in one transaction, every row is checked
by the model's own validation, and a file with any bad row writes nothing and
lists each bad row with its reason. Records are matched by their natural
identifiers (slugs), so a file exported here can be edited and imported back.
"""

from import_export import fields, resources, widgets

from core.partial_dates import PartialDate

from .models import Assessment, Deployment, Force, Supplier, Tool


class PartialDateWidget(widgets.Widget):
    """ "2008", "2021-11" or "2019-11-27"; empty for not disclosed."""

    def clean(self, value, row=None, **kwargs):
        if value is None or str(value).strip() == "":
            return None
        try:
            # The ISO text, as a form would give it: the field parses and validates it.
            return PartialDate.parse(str(value)).isoformat()
        except ValueError as exc:
            raise ValueError(f"{value!r} is not a date written as YYYY, YYYY-MM or YYYY-MM-DD") from exc

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

    def before_save_instance(self, instance, row, **kwargs):
        instance._change_reason = "Bulk import"

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
