"""The dashboards and the public index in a real browser: on a phone, with axe-core's
WCAG 2.1 AA checks, and a number followed to its dossiers with the keyboard."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, ViewportSize, expect

from haicap.core.actors import SYSTEM
from haicap.dossiers.models import Dossier
from haicap.portal.tests.test_browser import PASSWORD, check_accessible
from haicap.reports.aggregate import refresh
from haicap.staff.actions import do_add_staff_member
from haicap.testing.browser import browser

__all__ = ["browser"]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE: ViewportSize = {"width": 390, "height": 844}
OCTOBER = "from=2026-10-01&to=2026-10-31"


def test_dashboards_on_a_phone(
    browser: Browser, live_server: Any, october: dict[str, Dossier]
) -> None:
    refresh()
    page = browser.new_page(viewport=PHONE)
    page.goto(f"{live_server.url}/reports/?{OCTOBER}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("chỉ số")
    check_accessible(page, "20-public-index")

    do_add_staff_member(
        "leader.hn", unit_code="01", roles=["province_admin"], actor=SYSTEM, password=PASSWORD
    )
    page.goto(f"{live_server.url}/accounts/login/?next=/staff/reports/01/%3F{OCTOBER}")
    page.get_by_label("Tên đăng nhập").fill("leader.hn")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_label("Mật khẩu").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Thành phố Hà Nội")
    check_accessible(page, "21-province-dashboard")
    # From the number of late dossiers to the late dossier, with the keyboard.
    late = page.locator("dd a[href*='metric=late']")
    late.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name=october["late"].code)).to_be_visible()
    check_accessible(page, "22-late-dossiers")
