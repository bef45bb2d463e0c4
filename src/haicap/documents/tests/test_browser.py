"""In Chromium, on a phone: a specialist drafts with a PDF, the leader approves and the clerk
issues; the clerk registers a paper document and the leader routes it in the dialog, with
the keyboard. Every page passes axe-core's WCAG 2.1 AA checks."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect

from haicap.core.actors import SYSTEM
from haicap.documents.agencies import ensure_agency
from haicap.documents.models import AgencyKind, Document
from haicap.staff.actions import do_add_staff_member
from haicap.testing.browser import accessibility_violations, browser, menu_link, screenshot
from haicap.testing.files import pdf_bytes
from haicap.units.queries import unit_by_code

__all__ = ["browser"]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE: ViewportSize = {"width": 390, "height": 844}
PASSWORD = "Mot-mat-khau-dai-1"


def check_accessible(page: Page, name: str) -> None:
    screenshot(page, f"documents-{name}")
    violations = accessibility_violations(page)
    assert violations == [], f"{name}: {violations}"


def signed_in(browser: Browser, live_server: Any) -> Page:
    ensure_agency(unit_by_code("00004"), AgencyKind.PEOPLES_COMMITTEE)
    do_add_staff_member(
        "vanthu",
        unit_code="00004",
        roles=["clerk", "leader", "specialist"],
        actor=SYSTEM,
        password=PASSWORD,
    )
    page = browser.new_page(viewport=PHONE)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill("vanthu")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    return page


def act(page: Page, action: str) -> None:
    summary = page.locator("summary").filter(has_text=re.compile(f"^{re.escape(action)}$"))
    panel = page.locator("details.action").filter(has=summary)
    if not panel.evaluate("details => details.open"):
        summary.click()
    panel.get_by_role("button", name=action).click()
    expect(page.locator(".message.success")).to_be_visible()


def test_drafting_issuing_and_routing_on_a_phone(
    browser: Browser, live_server: Any, tmp_path: Path
) -> None:
    page = signed_in(browser, live_server)
    menu_link(page, "Văn bản", exact=True).click()
    check_accessible(page, "01-inbox")

    page.get_by_role("link", name="Dự thảo mới").click()
    page.get_by_role("button", name="Lưu dự thảo").click()
    expect(page.locator(".errorlist").first).to_be_visible()
    check_accessible(page, "02-draft-errors")
    page.get_by_label("Loại văn bản").select_option("QĐ")
    page.get_by_label("Trích yếu").fill("Quyết định thành lập tổ công tác chuyển đổi số")
    text = tmp_path / "qd.pdf"
    text.write_bytes(pdf_bytes("Quyết định thành lập tổ công tác"))
    page.get_by_label("Văn bản chính (PDF)").set_input_files(str(text))
    page.get_by_role("button", name="Lưu dự thảo").click()
    expect(page.locator(".message.success")).to_be_visible()
    check_accessible(page, "03-draft")
    act(page, "Phê duyệt")
    act(page, "Ban hành")
    expect(page.get_by_text("Số: 01/QĐ-UBND")).to_be_visible()
    check_accessible(page, "04-issued")

    menu_link(page, "Văn bản", exact=True).click()
    page.get_by_role("link", name="Vào sổ văn bản giấy").click()
    page.get_by_label("Loại văn bản").select_option("CV")
    page.get_by_label("Trích yếu").fill("Về việc báo cáo số liệu dân cư")
    page.locator("#id_sender_name").fill("Công an thành phố Hà Nội")
    page.locator("#id_number").fill("88")
    page.get_by_label("Ký hiệu (ví dụ QĐ-UBND)").fill("CAHN-PV06")
    page.get_by_label("Ngày văn bản").fill("2026-11-02")
    check_accessible(page, "05-register-form")
    page.get_by_role("button", name="Vào sổ").click()
    expect(page.locator(".message.success")).to_be_visible()

    # The routing dialog (the first action, open), with the keyboard only.
    expect(page.locator("details.action[open] summary")).to_have_text("Giao xử lý")
    page.get_by_label("Người chủ trì (cán bộ)").select_option("vanthu")
    days = page.get_by_label("Thời hạn (ngày làm việc)")
    days.focus()
    page.keyboard.type("5")
    check_accessible(page, "06-routing-dialog")
    page.keyboard.press("Enter")
    expect(page.locator(".message.success")).to_be_visible()
    routed = Document.objects.get(subject="Về việc báo cáo số liệu dân cư")
    assert routed.status == "routed"
    assert routed.due_at is not None

    menu_link(page, "Văn bản", exact=True).click()
    page.get_by_role("link", name="Sổ đăng ký", exact=True).click()
    check_accessible(page, "07-registers")
    page.get_by_role("link", name="Sổ đăng ký văn bản đi 2026").click()
    expect(page.get_by_text("01/QĐ-UBND")).to_be_visible()
    check_accessible(page, "08-register")
    menu_link(page, "Văn bản", exact=True).click()
    page.get_by_role("link", name="Tìm kiếm", exact=True).click()
    page.get_by_label("Từ trong trích yếu").fill("chuyen doi so")
    page.get_by_role("button", name="Tìm kiếm", exact=True).click()
    expect(page.get_by_role("link", name="01/QĐ-UBND")).to_be_visible()
    check_accessible(page, "09-search")
