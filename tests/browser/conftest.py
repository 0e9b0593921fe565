"""Browser tests: Debian's Chromium driven by Playwright for Python, against
pytest-django's live server with the seed data loaded.

Playwright's sync API runs an event loop in the test thread, so Django's guard
against database access from async code must be lifted for these tests.
"""

import os
from dataclasses import dataclass

import pytest
from playwright.sync_api import Page

from tests.conftest import load_seed_dump

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def site(live_server, transactional_db, seed_dump, originals_storage):
    """The live server's address, with the register as `load_seed_data` leaves it."""
    load_seed_dump(seed_dump, originals_storage)
    return live_server.url


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 375, "height": 800}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@dataclass(frozen=True)
class Reader:
    """A reader's tab, in one of the four ways the public pages must work (issue 16):
    a 1280 px screen or a 375 px phone, with JavaScript or without."""

    tab: Page
    width: int
    javascript: bool

    @property
    def on_a_phone(self) -> bool:
        return self.width < 800


READERS = {"1280-js": (1280, True), "1280-no-js": (1280, False), "375-js": (375, True), "375-no-js": (375, False)}


@pytest.fixture(params=list(READERS))
def reader(browser, request):
    width, javascript = READERS[request.param]
    phone = width < 800
    context = browser.new_context(
        viewport={"width": width, "height": 800 if phone else 900},
        java_script_enabled=javascript,
        is_mobile=phone,
        has_touch=phone,
        accept_downloads=True,
    )
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    yield Reader(tab, width, javascript)
    context.close()
