"""The reorganisation pages in a real browser: build and preview the 2025 plan with the
keyboard, axe-core's WCAG 2.1 AA checks on the list and the plan."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Browser, expect

from haicap.portal.tests.test_browser import PASSWORD, check_accessible
from haicap.testing.browser import browser

__all__ = ["browser"]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_building_and_previewing_the_2025_plan(browser: Browser, live_server: Any) -> None:
    User.objects.create_superuser("national", password=PASSWORD)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/accounts/login/?next=/staff/reorg/")
    page.get_by_label("Tên đăng nhập").fill("national")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_label("Mật khẩu").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Phương án sắp xếp")
    check_accessible(page, "30-reorg-plans")
    build = page.get_by_role("button", name="Lập phương án 2025")
    build.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("01/7/2025")
    page.get_by_role("button", name="Xem trước lại").click()
    expect(page.get_by_role("status")).to_contain_text("Đã xem trước")
    check_accessible(page, "31-reorg-plan")
