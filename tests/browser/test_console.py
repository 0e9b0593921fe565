"""Every kind of public page loads in Chromium with nothing in the console: no Content
Security Policy violation, no JavaScript error, no failed request."""

import pytest

from register.models import Deployment, Source, Tool

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def public_pages() -> list[str]:
    """One page of each kind, with the seed data's records (and the admin's login page)."""
    deployment = Deployment.objects.published().select_related("force", "tool").first()
    tool = Tool.objects.published().first()
    source = Source.objects.published().first()
    foi_request_path = source.foi_request.get_absolute_url()
    return [
        "/",
        "/tools/",
        tool.get_absolute_url(),
        "/deployments/",
        deployment.get_absolute_url(),
        "/forces/",
        deployment.force.get_absolute_url(),
        "/suppliers/",
        "/suppliers/nec-software-solutions/",
        "/foi-requests/",
        foi_request_path,
        "/foi-requests/statistics/",
        f"/sources/{source.pk}/",
        "/transparency/",
        "/figures/",
        "/search/?q=risk",
        "/changes/",
        "/about/",
        "/method/",
        "/accessibility/",
        "/privacy/",
        f"/corrections/new/?record=tool:{tool.pk}",
        "/api/",
        "/api/docs/",
    ]


def test_every_kind_of_public_page_leaves_the_console_silent(site, page):
    messages = []
    page.on("console", lambda message: messages.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: messages.append(f"error: {error}"))
    page.on(
        "response",
        lambda response: response.status < 400 or messages.append(f"failed: {response.status} {response.url}"),
    )
    problems = {}
    for path in public_pages():
        messages.clear()
        page.goto(site + path)
        page.wait_for_load_state("networkidle")
        if errors := [message[:300] for message in messages if not message.startswith(("log:", "info:", "debug:"))]:
            problems[path] = errors
    assert not problems, "\n".join(f"{path}: {errors}" for path, errors in problems.items())
