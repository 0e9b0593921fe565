"""Signed-in staff preview a draft's public page under a banner; the public, and
signed-in readers who are not staff, still get "not found"; caches never mix them."""

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from register.models import Source, SourceKind

from .factories import DeploymentFactory, FoiRequestFactory, ForceFactory, ToolFactory, UserFactory

pytestmark = pytest.mark.django_db

BANNER = "Draft: not public"


def draft_tool():
    tool = ToolFactory(is_published=False, name="Draft Risk Model")
    return tool.get_absolute_url(), "view_tool", "this tool"


def deployment_of_a_draft_force():
    deployment = DeploymentFactory(force=ForceFactory(is_published=False, name="Draftshire Police"))
    return deployment.get_absolute_url(), "view_deployment", "its force “Draftshire Police”"


def draft_deployment():
    deployment = DeploymentFactory(is_published=False)
    return deployment.get_absolute_url(), "view_deployment", "this deployment"


def draft_force():
    force = ForceFactory(is_published=False)
    return force.get_absolute_url(), "view_force", "this force"


def draft_foi_request():
    foi_request = FoiRequestFactory(is_published=False)
    return foi_request.get_absolute_url(), "view_foirequest", "this FOI request"


def draft_document():
    source = Source.objects.create(
        kind=SourceKind.DOCUMENT, title="Draft review", url="https://example.org/draft-review", is_published=False
    )
    return f"/sources/{source.pk}/", "view_source", "this source"


DRAFT_PAGES = [
    draft_tool,
    deployment_of_a_draft_force,
    draft_deployment,
    draft_force,
    draft_foi_request,
    draft_document,
]


def signed_in(*, is_staff: bool, permissions: tuple[str, ...] = ()) -> Client:
    user = UserFactory(is_staff=is_staff)
    user.user_permissions.add(*Permission.objects.filter(codename__in=permissions))
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("make_draft", DRAFT_PAGES)
def test_staff_see_a_drafts_page_with_the_banner_and_noindex(make_draft):
    url, permission, unpublished = make_draft()
    response = signed_in(is_staff=True, permissions=(permission,)).get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert BANNER in page
    assert "The public gets “not found” until it is published." in page
    assert unpublished in page
    assert '<meta name="robots" content="noindex">' in page
    assert response["X-Robots-Tag"] == "noindex"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


@pytest.mark.parametrize("make_draft", DRAFT_PAGES)
def test_the_public_and_readers_who_are_not_staff_still_get_not_found(client, make_draft):
    url, permission, _ = make_draft()
    assert client.get(url).status_code == 404
    assert signed_in(is_staff=False, permissions=(permission,)).get(url).status_code == 404
    # Staff without the right to view this kind of record in the admin: not found either.
    assert signed_in(is_staff=True).get(url).status_code == 404


@pytest.mark.parametrize("make_draft", DRAFT_PAGES)
def test_a_preview_is_never_kept_for_the_public_nor_a_404_served_to_staff(client, make_draft):
    url, permission, _ = make_draft()
    staff = signed_in(is_staff=True, permissions=(permission,))
    assert client.get(url).status_code == 404
    assert staff.get(url).status_code == 200
    assert client.get(url).status_code == 404
    assert client.get(url).status_code == 404


def test_a_numeric_id_of_a_draft_request_redirects_staff_only(client):
    foi_request = FoiRequestFactory(is_published=False)
    staff = signed_in(is_staff=True, permissions=("view_foirequest",))
    assert staff.get(f"/foi-requests/{foi_request.pk}/").url == foi_request.get_absolute_url()
    assert client.get(f"/foi-requests/{foi_request.pk}/").status_code == 404


def test_a_staff_read_of_a_published_page_neither_fills_nor_changes_the_public_cache(client):
    tool = ToolFactory(sourced=True)
    staff = signed_in(is_staff=True, permissions=("view_tool",))
    url = tool.get_absolute_url()
    staff_page = staff.get(url)
    assert staff_page.status_code == 200
    assert BANNER not in staff_page.content.decode()
    assert "X-Robots-Tag" not in staff_page

    # The first anonymous read builds the page (nothing was kept from the staff's read)...
    with CaptureQueriesContext(connection) as first:
        public = client.get(url)
    assert len(first) > 0
    assert public.status_code == 200 and BANNER not in public.content.decode()
    # ... as it always did: no session opened, so the response does not vary by cookie.
    assert "Cookie" not in public.get("Vary", "")
    with CaptureQueriesContext(connection) as again:
        assert client.get(url).content == public.content
    assert len(again) == 0

    # And staff keep getting fresh pages, never the anonymous copy.
    with CaptureQueriesContext(connection) as staff_again:
        assert staff.get(url).status_code == 200
    assert len(staff_again) > 0


def test_a_page_cached_for_the_public_is_a_preview_for_staff_once_unpublished(client):
    tool = ToolFactory(sourced=True)
    url = tool.get_absolute_url()
    assert client.get(url).status_code == 200  # now in the page cache
    tool.is_published = False
    tool.save()
    staff = signed_in(is_staff=True, permissions=("view_tool",))
    assert BANNER in staff.get(url).content.decode()
    assert client.get(url).status_code == 404
