"""The pages a public register owes its readers: about, method, accessibility, privacy,
the sitemap and robots.txt."""

import xml.etree.ElementTree as ET

import pytest
from django.db.models import TextChoices

from foi_requests.transparency import Disclosure
from register.models import DeploymentStatus, QuestionOutcome, SafeguardState
from sitewide.pages import glossary, method_glossaries

from .factories import DeploymentFactory, FoiRequestFactory, ForceFactory, ToolFactory

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/about/", ["Open Government Licence v3.0", 'href="/corrections/new/"', 'href="/method/"']),
        ("/method/", ["FOI request", "Publication", 'href="/corrections/new/"', "Open Government Licence v3.0"]),
        (
            "/accessibility/",
            [
                "WCAG",
                "2.2",
                "axe-core",
                "keyboard",
                "Equality and Human Rights Commission",
                "Equality Commission for Northern Ireland",
                "Known limitations",
            ],
        ),
        ("/privacy/", ["180 days", "Lawful basis", "Article 6(1)(f)", "Information Commissioner", "never published"]),
    ],
)
def test_each_page_answers(client, url, expected):
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    for text in expected:
        assert text in page, f"{text!r} missing from {url}"


def test_every_page_links_to_them_from_its_footer(client):
    footer = client.get("/tools/").content.decode().split('<footer class="site-footer">')[1]
    for url in ["/about/", "/method/", "/corrections/new/", "/accessibility/", "/privacy/"]:
        assert f'href="{url}"' in footer


@pytest.mark.parametrize("choices", [DeploymentStatus, SafeguardState, QuestionOutcome, Disclosure])
def test_the_method_page_explains_every_state_in_the_codes_words(client, choices):
    page = client.get("/method/").content.decode()
    for label in choices.labels:
        assert f"<dt>{label}</dt>" in page


def test_a_state_without_a_meaning_is_caught():
    class Colour(TextChoices):
        RED = "red", "Red"
        BLUE = "blue", "Blue"

    assert glossary(Colour, {Colour.RED: "Warm.", Colour.BLUE: "Cold."}) == [("Red", "Warm."), ("Blue", "Cold.")]
    with pytest.raises(ValueError, match="no meaning for"):
        glossary(Colour, {Colour.RED: "Warm."})
    assert len(method_glossaries()) == 4


def sitemap_entries(client) -> dict[str, str | None]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    return {
        url.find(f"{SITEMAP}loc").text.removeprefix("http://testserver"): getattr(
            url.find(f"{SITEMAP}lastmod"), "text", None
        )
        for url in root.iter(f"{SITEMAP}url")
    }


def test_the_sitemap_lists_published_records_never_drafts(client):
    deployment = DeploymentFactory()
    draft_tool = ToolFactory(is_published=False)
    draft_force = ForceFactory(is_published=False)
    foi_request = FoiRequestFactory()
    hidden_request = FoiRequestFactory(force=draft_force)  # published, but its force is not
    entries = sitemap_entries(client)
    for path in ["/", "/about/", "/method/", "/accessibility/", "/privacy/", "/tools/", "/transparency/"]:
        assert path in entries
    for record in [deployment, deployment.tool, deployment.force, foi_request]:
        assert entries[record.get_absolute_url()] == record.updated_at.date().isoformat()
    for record in [draft_tool, draft_force, hidden_request]:
        assert record.get_absolute_url() not in entries
    assert not any(path.startswith(("/corrections/", "/admin/")) for path in entries)


def test_the_sitemap_lists_documents_not_foi_answers(client, seed_data):
    from register.models import Source, SourceKind

    document = Source.objects.create(
        kind=SourceKind.DOCUMENT, title="Annual review", url="https://example.org/review", is_published=True
    )
    draft = Source.objects.create(
        kind=SourceKind.DOCUMENT, title="Draft review", url="https://example.org/draft", is_published=False
    )
    entries = sitemap_entries(client)
    assert f"/sources/{document.pk}/" in entries and f"/sources/{draft.pk}/" not in entries
    for source in Source.objects.filter(kind=SourceKind.FOI_ANSWER):
        assert f"/sources/{source.pk}/" not in entries


def test_robots_txt_keeps_crawlers_out_of_the_admin_and_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines and "Disallow: /admin/" in lines and "Allow: /" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines


def test_every_detail_page_offers_a_correction(client, seed_data):
    from register.models import Deployment, Source, SourceKind, Supplier

    deployment = Deployment.objects.published().select_related("force", "tool").first()
    document = Source.objects.create(
        kind=SourceKind.DOCUMENT, title="Annual review", url="https://example.org/review", is_published=True
    )
    foi_request = Source.objects.published().filter(kind=SourceKind.FOI_ANSWER).first().foi_request
    for record, kind, url in [
        (deployment, "deployment", deployment.get_absolute_url()),
        (deployment.tool, "tool", deployment.tool.get_absolute_url()),
        (deployment.force, "force", deployment.force.get_absolute_url()),
        *[(supplier, "supplier", supplier.get_absolute_url()) for supplier in Supplier.objects.published()[:1]],
        (foi_request, "foi-request", foi_request.get_absolute_url()),
        (document, "source", f"/sources/{document.pk}/"),
    ]:
        page = client.get(url).content.decode()
        assert f'href="/corrections/new/?record={kind}:{record.pk}"' in page, url
        assert "About: <a" in client.get(f"/corrections/new/?record={kind}:{record.pk}").content.decode(), url
