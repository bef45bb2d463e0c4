"""In a real browser (Debian's Chromium): a citizen files a birth registration online, an
officer accepts and resolves it, the citizen sees the result, downloads it and rates it.
Every citizen page passes axe-core's WCAG 2.1 AA checks; screenshots go to test-artifacts/."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect

from haicap.core.actors import SYSTEM
from haicap.dossiers.models import Dossier, Rating, Status
from haicap.staff.actions import do_add_staff_member
from haicap.testing.browser import accessibility_violations, browser, choose_commune, screenshot
from haicap.testing.eform import fill_birth_form
from haicap.testing.files import pdf_bytes

__all__ = ["browser"]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE: ViewportSize = {"width": 390, "height": 844}
PASSWORD = "Mot-mat-khau-dai-1"


def check_accessible(page: Page, name: str) -> None:
    screenshot(page, name)
    violations = accessibility_violations(page)
    assert violations == [], f"{name}: {violations}"


def a_pdf(tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    path.write_bytes(pdf_bytes())  # a real PDF: the result is signed
    return path


def officer_page(browser: Browser, live_server: Any) -> Page:
    do_add_staff_member(
        "officer",
        unit_code="00004",
        roles=["receiver", "specialist", "leader", "clerk"],
        actor=SYSTEM,
        password=PASSWORD,
    )
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill("officer")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    return page


def act(
    page: Page, action: str, fill: dict[str, str] | None = None, files: Path | None = None
) -> None:
    """Open the action's panel on the dossier page, fill it, press its button."""
    summary = page.locator("summary").filter(has_text=re.compile(f"^{re.escape(action)}$"))
    panel = page.locator("details.action").filter(has=summary)
    if not panel.evaluate("details => details.open"):
        summary.click()
    form = panel.locator("form")
    for label, value in (fill or {}).items():
        form.get_by_label(label).fill(value)
    if files is not None:
        form.locator("input[type=file]").set_input_files(str(files))
    form.get_by_role("button", name=action).click()
    expect(page.locator(".message.success")).to_be_visible()


def test_a_citizen_files_online_and_rates_the_result(
    browser: Browser, live_server: Any, tmp_path: Path
) -> None:
    citizen = browser.new_page(viewport=PHONE, accept_downloads=True)
    citizen.goto(live_server.url)
    check_accessible(citizen, "01-home")

    citizen.get_by_label("Tìm thủ tục").fill("đăng ký khai sinh")
    citizen.get_by_role("button", name="Tìm kiếm").first.click()
    citizen.get_by_role("link", name="Đăng ký khai sinh", exact=True).click()
    expect(citizen.get_by_role("heading", level=1)).to_have_text("Đăng ký khai sinh")
    check_accessible(citizen, "02-procedure")

    citizen.get_by_role("link", name="Nộp trực tuyến").click()
    choose_commune(citizen, "01", "00004")
    citizen.get_by_label("Họ và tên").fill("Hoàng Thị Mai")
    citizen.get_by_label("Số định danh", exact=True).fill("001197003333")
    citizen.get_by_label("Điện thoại").fill("0977123456")
    fill_birth_form(citizen, tmp_path)
    check_accessible(citizen, "03-filing-form")
    citizen.get_by_role("button", name="Tiếp tục").click()

    expect(citizen.get_by_text("Hoàng Thị Mai").first).to_be_visible()
    check_accessible(citizen, "04-review")
    citizen.get_by_role("button", name="Nộp hồ sơ").click()
    expect(citizen.locator(".message.success")).to_be_visible()
    check_accessible(citizen, "05-filed")
    dossier = Dossier.objects.get(applicant_name="Hoàng Thị Mai")
    assert dossier.code in citizen.locator("main").inner_text()
    assert dossier.secret in citizen.locator(".message.success").inner_text()
    status_url = citizen.url

    officer = officer_page(browser, live_server)
    officer.goto(f"{live_server.url}/staff/dossiers/{dossier.code}/")
    act(officer, "Tiếp nhận")
    act(officer, "Giao xử lý")
    act(officer, "Phê duyệt")
    act(officer, "Có kết quả", files=a_pdf(tmp_path, "giay-khai-sinh-dien-tu.pdf"))
    act(officer, "Trả kết quả")
    screenshot(officer, "06-officer-dossier")
    dossier.refresh_from_db()
    assert dossier.status == Status.RETURNED

    citizen.goto(status_url)
    expect(citizen.get_by_text("Đã trả kết quả").first).to_be_visible()
    check_accessible(citizen, "07-result")
    with citizen.expect_download() as download:
        citizen.get_by_role("link", name=re.compile("Tải về: giay-khai-sinh")).click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")

    citizen.get_by_label("Rất hài lòng").check()
    citizen.get_by_label("Góp ý").fill("Nhanh, chu đáo")
    citizen.get_by_role("button", name="Gửi đánh giá").click()
    expect(citizen.get_by_text("Cảm ơn bạn đã đánh giá.")).to_be_visible()
    screenshot(citizen, "08-rated")
    rating = Rating.objects.get(dossier=dossier)
    assert (rating.score, rating.comment) == (3, "Nhanh, chu đáo")


def test_the_portal_works_with_the_keyboard_alone(browser: Browser, live_server: Any) -> None:
    page = browser.new_page(viewport=PHONE)
    page.goto(live_server.url)
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()
    search = page.get_by_label("Tìm thủ tục")
    search.focus()
    page.keyboard.type("chung thuc")
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name=re.compile("Chứng thực bản sao"))).to_be_visible()
    check_accessible(page, "09-catalogue")
    page.goto(f"{live_server.url}/centres/?province=01")
    check_accessible(page, "10-centres")
    page.goto(f"{live_server.url}/lookup/")
    check_accessible(page, "11-lookup")


def test_pages_switch_to_english(browser: Browser, live_server: Any) -> None:
    page = browser.new_page(viewport=PHONE)
    page.goto(live_server.url)
    page.get_by_role("link", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Public administrative services")
    assert page.evaluate("document.documentElement.lang") == "en"
