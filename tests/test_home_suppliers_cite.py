"""The home page's finding, the supplier pages, permanent addresses and citations."""

import datetime
import json
from unittest import mock

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.utils import timezone

from core.citing import Citation, bibtex_escape, citation_bibtex, citation_csl_json, citation_ris, citation_text
from register.findings import category_finding
from register.models import AssessmentKind, AssessmentResult, DeploymentStatus, ToolCategory

from .factories import (
    AssessmentFactory,
    DeploymentFactory,
    FoiRequestFactory,
    ForceFactory,
    SupplierFactory,
    ToolFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def staff_client(client):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__startswith="view_"))
    client.force_login(user)
    return client


# The finding.


def risk_world():
    """Three forces using risk tools (one in a pilot), one with a DPIA on record, one whose
    DPIA was withheld; beside them what must not count: a mapping tool, a discontinued use,
    a draft deployment, a draft DPIA."""
    north, south, east, west = (ForceFactory() for _ in range(4))
    risk = ToolFactory(category=ToolCategory.INDIVIDUAL_RISK)
    other_risk = ToolFactory(category=ToolCategory.INDIVIDUAL_RISK)
    mapping = ToolFactory(category=ToolCategory.MAPPING)
    with_dpia = DeploymentFactory(force=north, tool=risk)
    AssessmentFactory(deployment=with_dpia, kind=AssessmentKind.DPIA, result=AssessmentResult.CONDUCTED)
    withheld = DeploymentFactory(force=south, tool=risk, status=DeploymentStatus.PILOT)
    AssessmentFactory(deployment=withheld, kind=AssessmentKind.DPIA, result=AssessmentResult.WITHHELD)
    DeploymentFactory(force=north, tool=other_risk)  # same force again: one force, two deployments
    draft_dpia = DeploymentFactory(force=east, tool=other_risk)
    AssessmentFactory(deployment=draft_dpia, kind=AssessmentKind.DPIA, is_published=False)
    DeploymentFactory(force=west, tool=mapping)
    DeploymentFactory(force=west, tool=risk, status=DeploymentStatus.DISCONTINUED)
    DeploymentFactory(force=south, tool=other_risk, is_published=False)


def test_category_finding_counts_forces_deployments_and_dpias():
    risk_world()
    finding = category_finding(ToolCategory.INDIVIDUAL_RISK, AssessmentKind.DPIA)
    assert (finding.forces, finding.deployments, finding.safeguarded) == (3, 4, 1)
    assert "category=individual_risk" in finding.deployments_url
    assert "status=in_use" in finding.deployments_url and "status=pilot" in finding.deployments_url
    assert finding.safeguarded_url.startswith(finding.deployments_url)
    assert finding.safeguarded_url.endswith("dpia_state=conducted")


def test_category_finding_of_an_empty_register_is_zero():
    finding = category_finding()
    assert (finding.forces, finding.deployments, finding.safeguarded) == (0, 0, 0)


def test_each_figure_links_to_a_list_with_that_many_rows(client):
    risk_world()
    finding = category_finding()
    for url, count in ((finding.deployments_url, 4), (finding.safeguarded_url, 1)):
        assert client.get(url).context["total"] == count, url
        assert client.get(url.replace("/deployments/", "/api/deployments/")).json()["count"] == count, url


def test_home_page_states_the_finding_with_its_links(client):
    risk_world()
    page = client.get("/").content.decode()
    finding = category_finding()
    assert "<strong>3 forces</strong> are known to use" in page
    assert f'href="{finding.deployments_url.replace("&", "&amp;")}" class="finding-deployments">4 deployments<' in page
    assert "1 has a Data Protection Impact Assessment on record" in page
    assert 'action="/search/"' in page and 'name="q"' in page and 'for="home-search-q"' in page
    for address in ('href="/api/"', 'href="/api/docs/"', 'href="/api/dump/"', 'href="/suppliers/"'):
        assert address in page


def test_home_page_lists_the_five_latest_public_changes(client):
    tools = [ToolFactory(name=f"Listed Tool {n}") for n in range(7)]
    ToolFactory(name="Secret Draft Tool", is_published=False)
    page = client.get("/").content.decode()
    assert "Secret Draft Tool" not in page
    assert sum(f"Listed Tool {n}<" in page for n in range(7)) == 5
    assert tools[-1].name in page and tools[0].name not in page


# Supplier pages.


def test_supplier_list_counts_published_tools_and_forces(client):
    acme = SupplierFactory(name="Acme Policing Data")
    mapper = ToolFactory(supplier=acme)
    ToolFactory(supplier=acme, is_published=False)
    DeploymentFactory(tool=mapper)
    DeploymentFactory(tool=mapper)
    DeploymentFactory(tool=mapper, is_published=False)
    SupplierFactory(name="Hidden Vendor", is_published=False)
    response = client.get("/suppliers/")
    assert response.status_code == 200
    row = next(row for row in response.context["suppliers"] if row.pk == acme.pk)
    assert (row.tool_total, row.force_total) == (1, 2)
    assert "Hidden Vendor" not in response.content.decode()
    assert client.get("/suppliers/", {"in_house": "maybe"}).status_code == 200  # the error is shown, not a 500


def test_supplier_page_shows_which_forces_use_which_tools(client):
    acme = SupplierFactory(name="Acme Policing Data")
    mapper = ToolFactory(name="Acme Mapper", supplier=acme)
    scorer = ToolFactory(name="Acme Scorer", supplier=acme)
    ToolFactory(name="Acme Unreleased", supplier=acme, is_published=False)
    DeploymentFactory(force=ForceFactory(name="Northshire Police"), tool=mapper)
    DeploymentFactory(force=ForceFactory(name="Southshire Police"), tool=scorer)
    DeploymentFactory(force=ForceFactory(name="Draftshire Police", is_published=False), tool=scorer)
    page = client.get(acme.get_absolute_url()).content.decode()
    assert "Acme Mapper" in page and "Acme Scorer" in page and "Northshire Police" in page
    assert "Acme Unreleased" not in page and "Draftshire" not in page
    assert f'href="/deployments/?supplier={acme.slug}"' in page


def test_a_draft_supplier_page_is_not_found_but_staff_preview_it(client):
    draft = SupplierFactory(is_published=False)
    assert client.get(draft.get_absolute_url()).status_code == 404
    response = staff_client(client).get(draft.get_absolute_url())
    assert response.status_code == 200 and response["X-Robots-Tag"] == "noindex"


def test_supplier_names_link_to_their_page(client):
    acme = SupplierFactory(name="Acme Policing Data")
    tool = ToolFactory(supplier=acme, name="Acme Mapper", sourced=True)
    link = f'<a href="/suppliers/{acme.slug}/">Acme Policing Data</a>'
    assert link in client.get(tool.get_absolute_url()).content.decode()
    assert link in client.get("/tools/").content.decode()
    assert f'href="/suppliers/{acme.slug}/"' in client.get("/search/", {"q": "mapper"}).content.decode()


# Permanent addresses and former slugs.


def records():
    deployment = DeploymentFactory(tool__supplier=SupplierFactory())
    request = FoiRequestFactory(force=deployment.force)
    return {
        "tool": deployment.tool,
        "force": deployment.force,
        "supplier": deployment.tool.supplier,
        "deployment": deployment,
        "foi-request": request,
        "source": request.source,
    }


def test_each_permanent_address_redirects_to_the_page_now(client):
    for kind, record in records().items():
        response = client.get(f"/r/{kind}/{record.pk}/")
        assert response.status_code == 302, kind
        page = getattr(record, "page_url", None) or record.get_absolute_url()
        assert response["Location"] == page, kind


@pytest.mark.parametrize(
    "address", ["/r/tool/999999/", "/r/tool/12a/", "/r/planet/1/", "/r/tool/99999999999999999999/"]
)
def test_an_unknown_permanent_address_is_not_found(client, address):
    assert client.get(address).status_code == 404


def test_a_draft_has_no_public_permanent_address(client):
    draft = ToolFactory(is_published=False)
    assert client.get(f"/r/tool/{draft.pk}/").status_code == 404
    assert client.get(f"/r/tool/{draft.pk}/cite.bib").status_code == 404


def rename(record, slug):
    record.slug = slug
    record.save()


def test_former_slugs_redirect_permanently_after_two_renames(client):
    tool = ToolFactory(slug="first-name")
    rename(tool, "second-name")
    rename(tool, "third-name")
    for old in ("first-name", "second-name"):
        response = client.get(f"/tools/{old}/")
        assert response.status_code == 301 and response["Location"] == "/tools/third-name/"
    assert client.get("/tools/third-name/").status_code == 200
    assert client.get(f"/r/tool/{tool.pk}/")["Location"] == "/tools/third-name/"


def test_a_slug_taken_by_another_record_leads_to_that_record(client):
    old = ToolFactory(slug="shared-name", name="Old Tool")
    rename(old, "old-tool")
    ToolFactory(slug="shared-name", name="New Tool")
    response = client.get("/tools/shared-name/")
    assert response.status_code == 200 and response.context["tool"].name == "New Tool"


def test_former_slugs_of_forces_suppliers_and_foi_requests_redirect(client):
    world = records()
    for kind, prefix in (("force", "/forces/"), ("supplier", "/suppliers/"), ("foi-request", "/foi-requests/")):
        record = world[kind]
        old = record.slug
        rename(record, f"{old}-renamed")
        response = client.get(f"{prefix}{old}/")
        assert response.status_code == 301, kind
        assert response["Location"] == record.get_absolute_url(), kind


def test_a_deployment_follows_its_force_and_tool_renamed(client):
    deployment = DeploymentFactory(force__slug="old-force", tool__slug="old-tool")
    rename(deployment.force, "new-force")
    rename(deployment.tool, "new-tool")
    for address in ("/deployments/old-force/old-tool/", "/deployments/new-force/old-tool/"):
        response = client.get(address)
        assert response.status_code == 301 and response["Location"] == "/deployments/new-force/new-tool/"
    assert client.get("/deployments/old-force/no-such-tool/").status_code == 404


def test_a_former_slug_of_a_draft_is_not_found(client):
    tool = ToolFactory(slug="hidden-before", is_published=False)
    rename(tool, "hidden-after")
    assert client.get("/tools/hidden-before/").status_code == 404


# Citations.


def citation(**changes) -> Citation:
    values = {
        "title": "Knife Crime Model",
        "kind": "tool",
        "kind_label": "Tool",
        "record_id": 12,
        "url": "https://register.example/r/tool/12/",
        "updated": datetime.date(2026, 3, 3),
        "retrieved": datetime.date(2026, 12, 2),
    }
    return Citation(**{**values, **changes})


def test_citation_text_names_the_permanent_address_and_the_date_retrieved():
    assert citation_text(citation()) == (
        "Police algorithmic tools register (2026) “Knife Crime Model” [Tool]. Last updated 3 March 2026. "
        "https://register.example/r/tool/12/ (retrieved 2 December 2026)."
    )


def test_bibtex_escapes_its_special_characters():
    assert bibtex_escape(r"R&D 50% $5 #1 a_b {x} ~ ^ \ ") == (
        r"R\&D 50\% \$5 \#1 a\_b \{x\} \textasciitilde{} \textasciicircum{} \textbackslash{} "
    )


def test_bibtex_entry():
    entry = citation_bibtex(citation(title="Risk & Harm_Model {v2}"))
    assert entry.startswith("@misc{police-algorithmic-tools-register-tool-12,\n")
    assert "  title = {Risk \\& Harm\\_Model \\{v2\\} [Tool]},\n" in entry
    assert "  author = {{Police algorithmic tools register}},\n" in entry
    assert "  url = {https://register.example/r/tool/12/},\n" in entry
    assert "  urldate = {2026-12-02},\n" in entry
    assert entry.endswith("}\n") and entry.count("{") == entry.count("}")


def test_ris_record():
    lines = citation_ris(citation(title="Two\nlines")).split("\r\n")
    assert lines[0] == "TY  - ELEC"
    assert "TI  - Two lines [Tool]" in lines
    assert "UR  - https://register.example/r/tool/12/" in lines
    assert "Y2  - 2026/12/02" in lines and "PY  - 2026" in lines
    assert lines[-2:] == ["ER  - ", ""]
    assert all(line[2:6] == "  - " for line in lines[:-1])


def test_csl_json_item():
    (item,) = json.loads(citation_csl_json(citation()))
    assert item["type"] == "webpage" and item["URL"] == "https://register.example/r/tool/12/"
    assert item["accessed"] == {"date-parts": [[2026, 12, 2]]}
    assert item["issued"] == {"date-parts": [[2026, 3, 3]]}


@pytest.mark.parametrize(
    "suffix, content_type",
    [
        ("bib", "application/x-bibtex; charset=utf-8"),
        ("ris", "application/x-research-info-systems; charset=utf-8"),
        ("json", "application/vnd.citationstyles.csl+json; charset=utf-8"),
    ],
)
def test_citation_downloads(client, suffix, content_type):
    tool = ToolFactory(name="Knife Crime Model")
    response = client.get(f"/r/tool/{tool.pk}/cite.{suffix}")
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    filename = f"police-algorithmic-tools-register-tool-{tool.pk}.{suffix}"
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert f"http://testserver/r/tool/{tool.pk}/" in response.content.decode()


def test_an_unknown_citation_format_is_not_found(client):
    tool = ToolFactory()
    assert client.get(f"/r/tool/{tool.pk}/cite.docx").status_code == 404


def test_every_detail_page_has_a_cite_block(client):
    today = datetime.datetime(2026, 12, 2, 12, tzinfo=datetime.UTC)
    with mock.patch.object(timezone, "now", return_value=today):
        for kind, record in records().items():
            page_address = getattr(record, "page_url", None) or record.get_absolute_url()
            if kind == "source":
                continue  # an FOI answer is read on its request's page
            page = client.get(page_address).content.decode()
            assert "Cite this record" in page, kind
            assert f"http://testserver/r/{kind}/{record.pk}/" in page, kind
            assert "(retrieved 2 December 2026)" in page, kind
            assert f'href="/r/{kind}/{record.pk}/cite.bib"' in page, kind


def test_the_sitemap_lists_published_suppliers_and_their_list(client):
    published = SupplierFactory()
    draft = SupplierFactory(is_published=False)
    sitemap = client.get("/sitemap.xml").content.decode()
    assert f"http://testserver/suppliers/{published.slug}/" in sitemap
    assert "<loc>http://testserver/suppliers/</loc>" in sitemap
    assert draft.slug not in sitemap
