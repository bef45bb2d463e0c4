"""In Chromium, on a phone: a citizen files a report with an old address on the portal, the
hotline operator files a call from the keyboard, the officer answers it; the public list shows
the answer. Every page passes axe-core's WCAG 2.1 AA checks."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect

from haicap.core.actors import SYSTEM
from haicap.feedback.models import Report
from haicap.staff.actions import do_add_staff_member
from haicap.testing.browser import accessibility_violations, browser, menu_link, screenshot

__all__ = ["browser"]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE: ViewportSize = {"width": 390, "height": 844}
PASSWORD = "Mot-mat-khau-dai-1"


def check_accessible(page: Page, name: str) -> None:
    screenshot(page, f"feedback-{name}")
    violations = accessibility_violations(page)
    assert violations == [], f"{name}: {violations}"


def test_portal_console_answer_and_public_list(browser: Browser, live_server: Any) -> None:
    from haicap.feedback.categories import seed_categories

    seed_categories()
    page = browser.new_page(viewport=PHONE)
    page.goto(f"{live_server.url}/feedback/new/")
    check_accessible(page, "01-portal-new")
    page.get_by_role("button", name="Gửi", exact=True).click()
    expect(page.locator(".errorlist").first).to_be_visible()
    check_accessible(page, "02-portal-errors")
    page.locator("#id_category").select_option("moi-truong")
    page.locator("#id_description").fill("Rác thải đổ trộm ở đầu ngõ 12")
    page.get_by_label("Địa chỉ (theo đơn vị cũ hoặc mới)").fill(
        "Phường Trúc Bạch, Quận Ba Đình, Hà Nội"
    )
    page.get_by_label("Công khai phản ánh").check()
    page.get_by_role("button", name="Gửi", exact=True).click()
    expect(page.get_by_role("heading", name="Đã tiếp nhận phản ánh")).to_be_visible()
    check_accessible(page, "03-portal-filed")
    report = Report.objects.get()
    assert report.unit.code == "00004"

    do_add_staff_member(
        "tongdai", unit_code="00004", roles=["receiver"], actor=SYSTEM, password=PASSWORD
    )
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill("tongdai")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    menu_link(page, "Tổng đài tiếp nhận").click()
    check_accessible(page, "04-console")
    page.locator("#id_callback_phone").fill("0912345678")
    page.keyboard.press("Tab")
    page.locator("#id_call_at").fill("2026-12-01T08:30")
    page.locator("#id_category").select_option("giao-thong")
    page.locator("#id_description").fill("Đèn đường hỏng phố Quán Thánh")
    page.get_by_label("Mã xã, phường (danh mục)").fill("00004")
    # From the keyboard: Enter in a one-line field files the report.
    page.get_by_label("Mã xã, phường (danh mục)").press("Enter")
    expect(page.locator(".message.success")).to_be_visible()
    check_accessible(page, "05-report")

    page.get_by_role("link", name="Danh sách phản ánh").click()
    check_accessible(page, "06-queue")
    page.get_by_role("link", name=report.code).click()
    page.get_by_label("Trả lời người dân").fill("Đã thu gom rác ngày 02/12")
    page.get_by_label("Gửi câu trả lời này cho người dân?").check()
    page.get_by_role("button", name="Trả lời", exact=True).click()
    expect(page.locator(".message.success")).to_be_visible()
    page.goto(f"{live_server.url}/staff/feedback/figures/")
    check_accessible(page, "07-figures")
    page.goto(f"{live_server.url}/feedback/")
    expect(page.get_by_text("Đã thu gom rác ngày 02/12")).to_be_visible()
    check_accessible(page, "08-public-list")
    page.get_by_role("link", name=f"Môi trường, rác thải · {report.code}").click()
    check_accessible(page, "09-public-report")
    page.goto(f"{live_server.url}/feedback/track/")
    check_accessible(page, "10-track")
