"""Under the Content-Security-Policy, pages and htmx keep working in Chromium, and the
browser reports no violation (core/security.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Browser, Page

from haicap.conftest import PASSWORD
from haicap.dossiers.models import Dossier
from haicap.testing.browser import browser, screenshot

__all__ = ["browser"]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Recorded before any page script runs (init scripts are not subject to the page's CSP).
WATCH = """
window.__csp = [];
document.addEventListener('securitypolicyviolation',
    e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
"""


def watched(browser: Browser) -> tuple[Page, list[str]]:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.add_init_script(WATCH)
    console: list[str] = []
    page.on(
        "console",
        lambda message: console.append(message.text) if message.type == "error" else None,
    )
    return page, console


def violations(page: Page, console: list[str]) -> list[Any]:
    found: list[Any] = page.evaluate("window.__csp")
    return found + [text for text in console if "Content Security Policy" in text]


def test_citizen_pages_and_htmx_search_under_the_csp(browser: Browser, live_server: Any) -> None:
    page, console = watched(browser)
    for path in ("/", "/procedures/", "/lookup/", "/en/procedures/"):
        page.goto(f"{live_server.url}{path}")
        assert violations(page, console) == [], path
    page.goto(f"{live_server.url}/procedures/")
    assert page.evaluate("typeof htmx") == "object"
    with page.expect_response(lambda r: r.request.headers.get("hx-request") == "true") as hx:
        page.locator("#q").fill("khai sinh")
    assert hx.value.status == 200
    page.wait_for_function("() => location.search.includes('q=khai')", timeout=5000)  # hx-push-url
    assert "khai sinh" in page.locator("#results").inner_text().lower(), console
    screenshot(page, "csp-catalogue-search")
    assert violations(page, console) == []


def test_staff_pages_and_htmx_search_under_the_csp(
    browser: Browser, live_server: Any, alice: User, make_dossier: Callable[..., Dossier]
) -> None:
    dossier = make_dossier()
    page, console = watched(browser)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill("alice")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    # The hotline console looks up the caller's earlier reports as the number is typed.
    page.goto(f"{live_server.url}/staff/feedback/console/")
    with page.expect_response(lambda r: r.request.headers.get("hx-request") == "true") as hx:
        page.locator("#earlier-phone").fill("0912345678")
    assert hx.value.status == 200
    page.goto(f"{live_server.url}/staff/?q={dossier.applicant_name.split()[0]}")
    assert dossier.code in page.locator("#queue-table").inner_text(), console
    page.goto(f"{live_server.url}/staff/dossiers/{dossier.code}/")
    assert dossier.code in page.content()
    screenshot(page, "csp-staff-dossier")
    assert violations(page, console) == []
