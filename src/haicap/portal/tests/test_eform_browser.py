"""In Chromium, on a phone and on a desktop: a citizen files a birth registration through its
e-form with papers. A first try with a mistake shows every error at once and keeps the file
chosen; the corrected filing is reviewed, filed, and its declaration PDF downloaded. Every
page passes axe-core's WCAG 2.1 AA checks, and no response is a 5xx."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Response, ViewportSize, expect
from pypdf import PdfReader

from haicap.conftest import BIRTH
from haicap.dossiers.models import Dossier, DossierForm
from haicap.testing.browser import accessibility_violations, browser, choose_commune, screenshot
from haicap.testing.eform import CHILD, fill_birth_form

__all__ = ["browser"]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
VIEWPORTS: dict[str, ViewportSize] = {
    "phone": {"width": 390, "height": 844},
    "desktop": {"width": 1280, "height": 900},
}


def check_accessible(page: Page, name: str) -> None:
    screenshot(page, name)
    violations = accessibility_violations(page)
    assert violations == [], f"{name}: {violations}"


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_a_citizen_files_a_birth_registration_through_its_e_form(
    browser: Browser, live_server: Any, tmp_path: Path, viewport: str
) -> None:
    context = browser.new_context(viewport=VIEWPORTS[viewport])
    page = context.new_page()
    errors: list[str] = []

    def record(response: Response) -> None:
        if response.status >= 500:
            errors.append(f"{response.status} {response.url}")

    page.on("response", record)
    page.goto(f"{live_server.url}/procedures/{BIRTH}/file/")
    choose_commune(page, "01", "00004")
    page.get_by_label("Họ và tên").fill("Hoàng Thị Mai")
    page.get_by_label("Điện thoại").fill("0977123456")
    # The father's section shows only once the citizen says the father is declared.
    expect(page.get_by_label("Họ, chữ đệm, tên của cha")).to_be_hidden()
    fill_birth_form(page, tmp_path)
    expect(page.get_by_label("Họ, chữ đệm, tên của cha")).to_be_visible()
    check_accessible(page, f"eform-{viewport}-1-filled")

    # A mistake in the e-form and a paper left out: both reported together, file kept.
    page.get_by_label("Số định danh cá nhân của mẹ").fill("123")
    page.get_by_label("Tôi sẽ xuất trình tại bộ phận một cửa").uncheck()
    page.get_by_role("button", name="Tiếp tục").click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Số định danh cá nhân của mẹ")
    expect(summary).to_contain_text("Giấy tờ tùy thân của người đi đăng ký")
    expect(page.get_by_text("giay-chung-sinh.pdf")).to_be_visible()
    check_accessible(page, f"eform-{viewport}-2-errors")
    assert Dossier.objects.count() == 0

    page.get_by_label("Số định danh cá nhân của mẹ").fill("001195003333")
    page.get_by_label("Tôi sẽ xuất trình tại bộ phận một cửa").check()
    page.get_by_role("button", name="Tiếp tục").click()
    expect(page.get_by_text(CHILD)).to_be_visible()
    expect(page.get_by_text("xuất trình tại bộ phận một cửa")).to_be_visible()
    check_accessible(page, f"eform-{viewport}-3-review")
    page.get_by_role("button", name="Nộp hồ sơ").click()
    expect(page.locator(".message.success")).to_be_visible()
    check_accessible(page, f"eform-{viewport}-4-filed")

    dossier = Dossier.objects.get()
    assert DossierForm.objects.get(dossier=dossier).values["child_full_name"] == CHILD
    assert dossier.papers.get().original_name == "giay-chung-sinh.pdf"
    link = page.get_by_role("link", name="Tờ khai đã nộp (PDF)")
    pdf = page.request.get(str(link.get_attribute("href")).replace("/", f"{live_server.url}/", 1))
    assert pdf.status == 200
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages)
    assert CHILD in text
    assert "Trần Văn Cường" in text
    assert "Xuất trình khi nhận kết quả" in text
    assert errors == []
    context.close()
