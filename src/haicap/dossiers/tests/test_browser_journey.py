"""An officer's day in Chromium, on a phone and a desktop: an online dossier taken from the
waiting-for-intake queue to its return, bulk assign and bulk return, the registers printed,
a search finding a finished dossier; axe-core on every page, and no 5xx anywhere."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser, User
from playwright.sync_api import Browser, Page, Response, expect

from haicap.conftest import APPLICANT, BA_DINH, BIRTH, HANOI, MARITAL, PASSWORD
from haicap.core.actors import SYSTEM
from haicap.dossiers import actions
from haicap.dossiers.applicant import Applicant
from haicap.dossiers.models import Dossier, Status
from haicap.procedures.models import Procedure
from haicap.staff.actions import do_add_staff_member
from haicap.testing.browser import accessibility_violations, browser, screenshot
from haicap.units.models import ServiceCenter

__all__ = ["browser"]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


def centre() -> ServiceCenter:
    return ServiceCenter.objects.select_related("unit", "unit__province").get(
        code=f"H{HANOI}.{BA_DINH}"
    )


def file_online(name: str) -> Dossier:
    applicant = Applicant(full_name=name, id_number="", phone="0912345678", address="Số 2")
    dossier, _created = actions.do_submit_dossier(
        procedure=Procedure.objects.get(code=BIRTH),
        centre=centre(),
        applicant=applicant,
        actor=AnonymousUser(),
    )
    return dossier


def finished_dossier(alice: Any, bob: Any) -> Dossier:
    dossier, _created = actions.do_intake_dossier(
        procedure=Procedure.objects.get(code=MARITAL),
        centre=centre(),
        applicant=APPLICANT,
        actor=alice,
    )
    dossier = actions.do_assign_dossier(dossier, assignee=bob, actor=bob)
    dossier = actions.do_approve_dossier(dossier, actor=bob)
    dossier = actions.do_mark_result_ready(dossier, actor=bob)
    return actions.do_return_result(dossier, actor=bob)


def check(page: Page, name: str) -> None:
    screenshot(page, name)
    violations = accessibility_violations(page)
    assert violations == [], f"{name}: {violations}"


class Officer:
    """One officer's browser tab; every 5xx answer it sees is noted."""

    def __init__(self, browser: Browser, base: str, username: str, viewport: str) -> None:
        size = VIEWPORTS[viewport]
        self.page = browser.new_page(viewport={"width": size["width"], "height": size["height"]})
        self.base = base
        self.viewport = viewport
        self.failures: list[str] = []
        self.page.on("response", self._note)
        self.page.goto(f"{base}/accounts/login/?next=/staff/")
        self.page.get_by_label("Tên đăng nhập").fill(username)
        self.page.get_by_label("Mật khẩu").fill(PASSWORD)
        self.page.get_by_label("Mật khẩu").press("Enter")
        expect(self.page.get_by_role("heading", level=1)).to_contain_text("Hồ sơ cần xử lý")

    def _note(self, response: Response) -> None:
        if response.status >= 500:
            self.failures.append(f"{response.status} {response.url}")

    def go(self, path: str) -> Page:
        self.page.goto(f"{self.base}{path}")
        return self.page

    def act(self, label: str) -> None:
        """Press the action's button in the section opened for the dossier's state."""
        opened = self.page.locator("details.action[open]")
        expect(opened.locator("summary")).to_have_text(label)
        opened.get_by_role("button", name=label).click()
        expect(self.page.locator("#messages")).to_contain_text("Đã thực hiện")

    def close(self) -> None:
        self.page.close()
        assert self.failures == [], self.failures


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_an_officer_takes_an_online_dossier_to_its_return(
    browser: Browser, live_server: Any, viewport: str
) -> None:
    alice = do_add_staff_member(
        "alice",
        unit_code=BA_DINH,
        roles=["receiver", "specialist"],
        actor=SYSTEM,
        password=PASSWORD,
        full_name="Lê Thị An",
    ).user
    bob = do_add_staff_member(
        "bob",
        unit_code=BA_DINH,
        roles=["leader", "clerk"],
        actor=SYSTEM,
        password=PASSWORD,
        full_name="Trần Văn Bình",
    ).user
    assert isinstance(alice, User)
    assert isinstance(bob, User)
    done = finished_dossier(alice, bob)
    first, second = file_online("Phạm Văn Một"), file_online("Phạm Văn Hai")
    tag = f"40-{viewport}"

    receiver = Officer(browser, live_server.url, "alice", viewport)
    page = receiver.go("/staff/?queue=intake")
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text(first.code)  # the oldest filing first
    check(page, f"{tag}-intake-queue")
    for dossier in (first, second):
        receiver.go(f"/staff/dossiers/{dossier.code}/")
        if dossier is first:
            check(page, f"{tag}-dossier-new")
        receiver.act("Tiếp nhận")
    # Both accepted: assign them to bob at once from the unit's queue.
    page = receiver.go(f"/staff/?queue=unit&status={Status.ACCEPTED}")
    for dossier in (first, second):
        page.get_by_label(f"Chọn {dossier.code}").check()
    page.locator("#bulk-action").select_option("assign")
    page.get_by_label("Cán bộ (khi phân công)").select_option(label="Trần Văn Bình")
    page.get_by_role("button", name="Thực hiện cho các hồ sơ đã đánh dấu").click()
    expect(page.locator("#messages")).to_contain_text("Đã thực hiện cho 2 hồ sơ")
    expect(page.locator("#messages")).to_be_focused()
    check(page, f"{tag}-queue-after-bulk")

    leader = Officer(browser, live_server.url, "bob", viewport)
    page = leader.go("/staff/?queue=mine")
    expect(page.locator("tbody")).to_contain_text(first.code)
    for dossier in (first, second):
        leader.go(f"/staff/dossiers/{dossier.code}/")
        leader.act("Phê duyệt")
        leader.act("Có kết quả")
    # The results are handed over together, from the queue.
    page = leader.go(f"/staff/?queue=unit&status={Status.PROCESSED}")
    for dossier in (first, second):
        page.get_by_label(f"Chọn {dossier.code}").check()
    page.locator("#bulk-action").select_option("return_result")
    page.get_by_role("button", name="Thực hiện cho các hồ sơ đã đánh dấu").click()
    expect(page.locator("#messages")).to_contain_text("Đã thực hiện cho 2 hồ sơ")
    page = leader.go(f"/staff/dossiers/{first.code}/")
    expect(page.locator(".badge").first).to_have_text("Đã trả kết quả")
    check(page, f"{tag}-dossier-returned")
    slip = page.request.get(f"{live_server.url}/staff/dossiers/{first.code}/return-slip.pdf")
    assert slip.status == 200
    assert slip.headers["content-type"] == "application/pdf"

    # The registers of the desk, as PDF and XLSX.
    page = receiver.go("/staff/registers/")
    check(page, f"{tag}-registers")
    page.get_by_label("Sổ").select_option("returns")
    with page.expect_response(re.compile(r"/staff/registers/\?")) as answer:
        page.get_by_role("button", name="In sổ").click()
    printed = answer.value
    assert printed.status == 200
    assert printed.headers["content-type"] == "application/pdf"
    assert page.request.get(printed.url).body().startswith(b"%PDF")
    xlsx = page.request.get(printed.url.replace("format=pdf", "format=xlsx"))
    assert xlsx.status == 200
    assert xlsx.body().startswith(b"PK")  # an XLSX is a zip

    # A search over every dossier finds the finished one by its ID number.
    page = receiver.go("/staff/?queue=all")
    page.get_by_label(re.compile("Tìm trong mọi hồ sơ")).fill(APPLICANT.id_number)
    page.get_by_label(re.compile("Tìm trong mọi hồ sơ")).press("Enter")
    expect(page.locator("tbody")).to_contain_text(done.code)
    check(page, f"{tag}-search")
    receiver.close()
    leader.close()
