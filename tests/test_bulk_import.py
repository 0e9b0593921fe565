"""Bulk import and export in the admin: preview, all-or-nothing, every bad row listed."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from register.models import Assessment, AssessmentResult, Deployment, Evidence, Force, Source, SourceKind, Tool
from register.resources import DeploymentResource

from .factories import AssessmentFactory, DeploymentFactory, EvidenceFactory, ForceFactory, ToolFactory

pytestmark = pytest.mark.django_db

CSV, XLSX = "0", "1"  # the format choices' positions

GOOD_TOOLS = (
    "slug,name,category,technique,origin,supplier,description,inputs,outputs,is_published\n"
    "gang-matrix,Gang Matrix,people_list,rules,in_house,,A list of people.,,,0\n"
    "hotspot-map,Hotspot Map,mapping,statistical_model,bought,,Maps crime.,,,1\n"
)
BAD_TOOLS = (
    "slug,name,category,technique,origin,supplier,description,inputs,outputs,is_published\n"
    "gang-matrix,Gang Matrix,people_list,rules,in_house,,A list of people.,,,0\n"
    "crystal-ball,Crystal Ball,fortune_telling,rules,in_house,,Bad category.,,,0\n"
    "no-supplier,Orphan,mapping,rules,bought,no-such-supplier,Unknown supplier.,,,0\n"
)


def bad_rows(result) -> list[int]:
    """Row numbers refused, whether by a field's validation or by a lookup error."""
    numbers = {row.number for row in result.invalid_rows}
    numbers |= {error.number for row in result.rows for error in row.errors}
    return sorted(numbers)


def upload(client, url_name, content: bytes, name: str, fmt: str = CSV):
    return client.post(
        reverse(url_name),
        {"resource": "0", "format": fmt, "import_file": SimpleUploadedFile(name, content)},
    )


def confirm(client, url_name, preview):
    form = preview.context["confirm_form"]
    data = {name: form[name].value() for name in form.fields}
    return client.post(reverse(url_name), data)


def test_a_good_file_is_previewed_then_imported(staff_client):
    # A row that publishes needs a quote for each fact: this tool's were recorded on its draft.
    ToolFactory(
        slug="hotspot-map",
        name="Hotspot Map",
        category="mapping",
        technique="statistical_model",
        origin="bought",
        description="Maps crime.",
        is_published=False,
        sourced=True,
    )
    preview = upload(staff_client, "admin:register_tool_import", GOOD_TOOLS.encode(), "tools.csv")
    assert preview.status_code == 200
    assert preview.context["confirm_form"] is not None
    assert not Tool.objects.filter(slug="gang-matrix").exists()  # the preview writes nothing
    response = confirm(staff_client, "admin:register_tool_process_import", preview)
    assert response.status_code == 302
    assert set(Tool.objects.values_list("slug", "is_published")) == {("gang-matrix", False), ("hotspot-map", True)}
    assert Tool.objects.get(slug="gang-matrix").history.latest().history_change_reason == "Bulk import"


def test_a_file_with_bad_rows_imports_nothing_and_lists_each_bad_row(staff_client):
    response = upload(staff_client, "admin:register_tool_import", BAD_TOOLS.encode(), "tools.csv")
    assert response.status_code == 200
    assert response.context.get("confirm_form") is None  # no way to confirm
    result = response.context["result"]
    assert bad_rows(result) == [2, 3]
    page = response.content.decode()
    assert "fortune_telling" in page and "is not a valid choice" in page
    assert "no supplier with slug “no-such-supplier”" in page
    assert not Tool.objects.filter(slug__in=["gang-matrix", "crystal-ball", "no-supplier"]).exists()


def test_a_bad_file_writes_nothing_even_without_the_preview():
    force, tool = ForceFactory(slug="kent"), ToolFactory(slug="hotspot-map")
    content = (
        "force,tool,status,started,ended\n"
        f"{force.slug},{tool.slug},in_use,2019-11,\n"
        f"{force.slug},no-such-tool,in_use,2019,\n"
        f"{force.slug},{tool.slug},pilot,31/02/2021,\n"
    )
    import tablib

    dataset = tablib.Dataset().load(content, format="csv")
    result = DeploymentResource().import_data(dataset, dry_run=False)
    assert result.has_errors() or result.has_validation_errors()
    assert bad_rows(result) == [2, 3]
    assert Deployment.objects.count() == 0


def test_deployments_import_from_a_spreadsheet_with_partial_dates(staff_client):
    force, tool = ForceFactory(slug="kent"), ToolFactory(slug="hotspot-map")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["force", "tool", "status", "started", "ended", "purpose", "is_published"])
    sheet.append([force.slug, tool.slug, "in_use", "2021-11", "", "Predicts hotspots.", 0])
    buffer = io.BytesIO()
    book.save(buffer)
    preview = upload(staff_client, "admin:register_deployment_import", buffer.getvalue(), "d.xlsx", XLSX)
    assert preview.context["confirm_form"] is not None, preview.context["result"].invalid_rows
    confirm(staff_client, "admin:register_deployment_process_import", preview)
    deployment = Deployment.objects.get(force=force, tool=tool)
    assert deployment.started.isoformat() == "2021-11"


def test_export_as_csv_and_xlsx(staff_client):
    ForceFactory(slug="kent", name="Kent Police")
    url = reverse("admin:register_force_export")
    response = staff_client.post(
        url, {"format": CSV, "resource": "0", "forceresource_slug": "on", "forceresource_name": "on"}
    )
    assert response.status_code == 200
    assert "kent,Kent Police" in response.content.decode()
    response = staff_client.post(url, {"format": XLSX, "resource": "0", "forceresource_slug": "on"})
    assert response.content.startswith(b"PK")


@pytest.mark.parametrize(
    ("content", "name", "fmt", "reason"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00", "tools.csv", CSV, "not a UTF-8 CSV"),
        (b"slug,name\n", "tools.exe", CSV, "should end in .csv"),
        (b"slug,name\n", "tools.xlsx", XLSX, "not an XLSX"),
        (b"x" * (5 * 1024 * 1024 + 1), "tools.csv", CSV, "the limit is"),
    ],
)
def test_uploaded_files_are_checked_for_type_and_size(staff_client, content, name, fmt, reason):
    response = upload(staff_client, "admin:register_tool_import", content, name, fmt)
    assert response.status_code == 200
    assert reason in response.content.decode()
    assert response.context.get("confirm_form") is None


def test_only_editors_may_import(client, django_user_model):
    from django.contrib.auth.models import Group

    researcher = django_user_model.objects.create_user("r", password="a-long-test-password", is_staff=True)
    researcher.groups.add(Group.objects.get(name="Researchers"))
    client.force_login(researcher)
    assert client.get(reverse("admin:register_force_import")).status_code == 403
    assert Force.objects.count() == 0


@pytest.fixture
def rows_with_blanks(seed_data):
    """Beside the seed data, one record of each kind with every optional cell blank: empty
    texts, no dates, no supplier, no question number, a quote about the record itself."""
    force = ForceFactory(slug="blankshire", name="Blankshire Police", website="", is_published=False)
    tool = ToolFactory(slug="blank-tool", name="Blank", supplier=None, description="", is_published=False)
    deployment = DeploymentFactory(
        force=force, tool=tool, status="unknown", started=None, ended=None, is_published=False
    )
    AssessmentFactory(deployment=deployment, result=AssessmentResult.UNKNOWN, conducted=None, is_published=False)
    report = Source.objects.create(
        kind=SourceKind.DOCUMENT, title="Annual report", url="https://example.org/report", text="A blank tool."
    )
    EvidenceFactory(
        foi_request=None, source=report, question_number="", quote="A blank tool.", deployment=None, tool=tool, field=""
    )


def export_everything(client, model_name: str, fmt: str) -> bytes:
    """The admin's export of every row, with every column ticked (as the form offers them)."""
    url = reverse(f"admin:register_{model_name}_export")
    form = client.get(url).context["form"]
    columns = {name: "on" for name, field in form.fields.items() if getattr(field, "is_selectable_field", False)}
    response = client.post(url, {"format": fmt, "resource": "0", **columns})
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


def history_size() -> int:
    return sum(model.history.count() for model in (Force, Tool, Deployment, Assessment, Evidence))


@pytest.mark.parametrize(("fmt", "extension"), [(CSV, "csv"), (XLSX, "xlsx")])
@pytest.mark.parametrize(
    ("model", "model_name"),
    [(Force, "force"), (Tool, "tool"), (Deployment, "deployment"), (Assessment, "assessment"), (Evidence, "evidence")],
)
def test_an_exported_file_imports_back_unchanged(rows_with_blanks, staff_client, model, model_name, fmt, extension):
    exported = export_everything(staff_client, model_name, fmt)
    rows, history = model.objects.count(), history_size()

    preview = upload(staff_client, f"admin:register_{model_name}_import", exported, f"export.{extension}", fmt)
    result = preview.context["result"]
    assert not result.has_errors() and not result.has_validation_errors(), bad_rows(result)
    assert result.totals["skip"] == rows  # every row, blanks included, read back as it was
    assert result.totals["new"] == result.totals["update"] == result.totals["delete"] == 0

    response = confirm(staff_client, f"admin:register_{model_name}_process_import", preview)
    assert response.status_code == 302
    assert model.objects.count() == rows
    assert history_size() == history  # nothing written
    if fmt == CSV:
        assert export_everything(staff_client, model_name, fmt) == exported
