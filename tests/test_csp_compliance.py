"""The pages the policy covers carry no inline code it would block.

A browser enforcing the Content Security Policy refuses inline <script> and
<style> without the page's nonce, and `on…=` / `style=` attributes whose exact
value is not allowed by hash. This renders the admin and public pages and
checks each against the policy as served.
"""

import re

import pytest
from django.urls import reverse

from core.csp import INLINE_SCRIPT_ATTRIBUTES, INLINE_STYLE_ATTRIBUTES

from .factories import DeploymentFactory

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")([^>]*)>", re.IGNORECASE)
HANDLER = re.compile(r"\son[a-z]+=\"([^\"]*)\"", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"\sstyle=\"([^\"]*)\"", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style([^>]*)>", re.IGNORECASE)


def blocked_inline_code(page: str, nonce: str | None) -> list[str]:
    problems = []
    for attributes in INLINE_SCRIPT.findall(page) + STYLE_ELEMENT.findall(page):
        if not nonce or f'nonce="{nonce}"' not in attributes:
            problems.append(f"inline element without the nonce: {attributes!r}")
    problems += [f"handler {v!r}" for v in HANDLER.findall(page) if v not in INLINE_SCRIPT_ATTRIBUTES]
    problems += [f"style {v!r}" for v in STYLE_ATTRIBUTE.findall(page) if v not in INLINE_STYLE_ATTRIBUTES]
    return problems


def nonce_of(response) -> str | None:
    match = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])
    return match.group(1) if match else None


def test_admin_and_public_pages_have_no_inline_code_the_policy_blocks(staff_client):
    deployment = DeploymentFactory()
    tool = deployment.tool
    deployment.tool.description = "Changed"
    tool._change_reason = "Test"
    tool.save()
    urls = [
        "/",
        reverse("register:tool-list"),
        tool.get_absolute_url(),
        deployment.get_absolute_url(),
        reverse("changes"),
        reverse("admin:index"),
        reverse("admin:register_tool_changelist"),
        reverse("admin:register_tool_change", args=[tool.pk]),
        reverse("admin:register_tool_history", args=[tool.pk]),
        reverse("admin:register_tool_simple_history", args=[tool.pk, tool.history.earliest().history_id]),
        reverse("admin:register_tool_import"),
        reverse("admin:register_tool_export"),
        reverse("admin:register_deployment_change", args=[deployment.pk]),
        reverse("admin-deleted-records"),
    ]
    for url in urls:
        response = staff_client.get(url)
        assert response.status_code == 200, url
        assert blocked_inline_code(response.content.decode(), nonce_of(response)) == [], url


def test_the_checker_finds_what_a_browser_would_block():
    page = '<script>steal()</script><p style="color: red" onclick="go()">x</p><script nonce="abc">ok()</script>'
    assert len(blocked_inline_code(page, "abc")) == 3
    assert blocked_inline_code('<script nonce="abc">ok()</script><script src="/s.js"></script>', "abc") == []


def test_the_drf_browsable_api_works_under_the_policy(staff_client):
    tool = DeploymentFactory().tool
    for url in ("/api/", "/api/tools/", f"/api/tools/{tool.slug}/"):
        response = staff_client.get(url, headers={"Accept": "text/html"})
        assert response.status_code == 200, url
        assert "Content-Security-Policy" in response
        assert blocked_inline_code(response.content.decode(), nonce_of(response)) == [], url


def test_the_api_docs_policy_relaxes_styles_only(settings):
    from core.csp import inline_styles_policy

    policy = inline_styles_policy()
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["script-src"] == settings.SECURE_CSP["script-src"]
    assert "'unsafe-inline'" not in policy["script-src"]
