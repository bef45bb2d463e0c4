"""Journey in Chromium, on a phone and on a desktop, with axe on every page: a citizen signs in
on the citizen page, files a fee-bearing procedure, pays it through the sandbox gateway, gets
the receipt, and once the result is out downloads it and checks its signature on the public
page, by upload and by its QR code's address. Any 5xx along the way fails the test."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Browser, Page, Response, ViewportSize, expect

from haicap.conftest import APPLICANT, BA_DINH, HANOI, PASSWORD, example_form, example_papers
from haicap.core.actors import SYSTEM
from haicap.core.pki import init_ca
from haicap.dossiers import actions
from haicap.dossiers.models import Dossier, PaymentStatus, ResultSignature, Status
from haicap.dossiers.papers import Upload
from haicap.portal.actions import do_register_citizen, do_save_draft
from haicap.procedures.models import Procedure
from haicap.staff.actions import do_add_staff_member
from haicap.testing.browser import accessibility_violations, browser, menu_link, screenshot
from haicap.testing.files import pdf_bytes
from haicap.units.models import ServiceCenter

__all__ = ["browser"]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RESIDENCE = "HCP.CTR.001"  # đăng ký tạm trú: 7.000đ online
VIEWPORTS: dict[str, ViewportSize] = {
    "phone": {"width": 390, "height": 844},
    "desktop": {"width": 1280, "height": 900},
}


@pytest.fixture(autouse=True)
def _setup(settings: Any, tmp_path: Path) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.DATA_DIR = tmp_path
    settings.SIGNING_TRUST_ROOTS = None
    init_ca(organisation="Thành phố Hà Nội", directory=tmp_path / "ca")


class Watch:
    """Every response the browser got; the 5xx ones fail the journey."""

    def __init__(self, page: Page) -> None:
        self.failures: list[str] = []
        page.on("response", self.seen)

    def seen(self, response: Response) -> None:
        if response.status >= 500:
            self.failures.append(f"{response.status} {response.url}")


def checked(page: Page, name: str) -> None:
    screenshot(page, name)
    violations = accessibility_violations(page)
    assert violations == [], f"{name}: {violations}"


def _draft(citizen: User) -> None:
    do_save_draft(
        draft=None,
        procedure=Procedure.objects.get(code=RESIDENCE),
        centre=ServiceCenter.objects.select_related("unit", "unit__province").get(
            code=f"H{HANOI}.{BA_DINH}"
        ),
        applicant=APPLICANT,
        uploads=[Upload("Tờ khai", "to-khai.pdf", pdf_bytes(), "application/pdf", ".pdf")],
        user=citizen,
        session_key="",
        form_values=example_form(RESIDENCE),
        **example_papers(RESIDENCE),
    )


def _resolve(dossier: Dossier) -> None:
    """The commune decides and returns the result (the staff pages have their own journeys)."""
    officer = do_add_staff_member(
        "lanhdao",
        unit_code=BA_DINH,
        roles=["receiver", "leader", "clerk"],
        actor=SYSTEM,
        password=PASSWORD,
        full_name="Trần Văn Lãnh",
    ).user
    dossier = actions.do_accept_dossier(dossier, actor=officer)
    dossier = actions.do_assign_dossier(dossier, assignee=officer, actor=officer)
    dossier = actions.do_approve_dossier(dossier, actor=officer)
    upload = Upload("Xác nhận tạm trú", "tam-tru.pdf", pdf_bytes(), "application/pdf", ".pdf")
    dossier = actions.do_mark_result_ready(
        dossier, actor=officer, note="Đã đăng ký tạm trú", uploads=[upload]
    )
    actions.do_return_result(dossier, actor=officer)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_citizen_pays_online_and_checks_the_signed_result(
    browser: Browser, live_server: Any, viewport: str, tmp_path: Path
) -> None:
    citizen = do_register_citizen(
        email=APPLICANT.email, password=PASSWORD, full_name=APPLICANT.full_name
    )
    _draft(citizen)
    page = browser.new_page(viewport=VIEWPORTS[viewport], accept_downloads=True)
    watch = Watch(page)
    name = f"pay-{viewport}"

    page.goto(live_server.url)
    menu_link(page, "Đăng nhập", exact=True).click()
    checked(page, f"{name}-01-signin")
    page.get_by_label("Thư điện tử").fill(APPLICANT.email)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hồ sơ của tôi")
    page.get_by_role("link", name=re.compile("Bản nháp")).click()
    checked(page, f"{name}-02-drafts")
    page.get_by_role("link", name="Đăng ký tạm trú").click()
    page.get_by_role("button", name="Nộp hồ sơ").click()

    # Filed: the payment step comes next.
    expect(page.get_by_role("heading", level=1)).to_have_text("Nộp phí, lệ phí")
    checked(page, f"{name}-03-payment-step")
    dossier = Dossier.objects.get(applicant_user=citizen)
    assert dossier.fee == 7000
    page.get_by_role("button", name=re.compile("Thanh toán trực tuyến")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cổng thanh toán (thử nghiệm)")
    checked(page, f"{name}-04-gateway")
    page.get_by_role("button", name="Thanh toán (thành công)").click()
    expect(page.locator(".message.success")).to_contain_text("Đã nộp phí, lệ phí")
    checked(page, f"{name}-05-paid")
    dossier.refresh_from_db()
    assert dossier.fee_paid
    assert dossier.payments.get().status == PaymentStatus.PAID
    with page.expect_download() as receipt:
        page.get_by_role("link", name=re.compile("Biên lai")).click()
    assert Path(receipt.value.path()).read_bytes().startswith(b"%PDF")

    _resolve(dossier)
    dossier.refresh_from_db()
    assert dossier.status == Status.RETURNED

    page.goto(f"{live_server.url}/me/?tab=finished")
    page.get_by_role("link", name=dossier.code).click()
    expect(page.get_by_role("heading", name="Kết quả của bạn")).to_be_visible()
    checked(page, f"{name}-06-result")
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Tải về")).first.click()
    result = tmp_path / "ket-qua.pdf"
    download.value.save_as(result)
    assert result.read_bytes().startswith(b"%PDF")

    menu_link(page, "Kiểm tra kết quả").click()
    checked(page, f"{name}-07-verify")
    page.get_by_label("Kết quả có chữ ký số (PDF)").set_input_files(str(result))
    page.get_by_role("button", name="Kiểm tra chữ ký").click()
    expect(page.get_by_role("heading", name="Chữ ký hợp lệ")).to_be_visible()
    expect(page.get_by_text("Trần Văn Lãnh").first).to_be_visible()
    checked(page, f"{name}-08-valid")

    token = ResultSignature.objects.filter(paper__dossier=dossier).first()
    assert token is not None
    page.goto(f"{live_server.url}/verify/{token.token}/")
    expect(page.get_by_role("heading", name="Chữ ký hợp lệ")).to_be_visible()
    checked(page, f"{name}-09-qr")

    page.goto(f"{live_server.url}/khong-co-trang-nay/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Không tìm thấy trang")
    checked(page, f"{name}-10-not-found")
    assert watch.failures == []
