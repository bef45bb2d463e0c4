"""The printed forms: officers by full name and title, the online receipt, the papers
column, the signature block kept with its page, the return slip, the QR address."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client, override_settings
from pypdf import PdfReader

from haicap.conftest import BIRTH
from haicap.dossiers import actions, documents
from haicap.dossiers.models import Dossier
from haicap.dossiers.papers import Upload
from haicap.dossiers.tests.test_queues import file_online


def pages(content: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


@pytest.fixture
def named(alice: User, bob: User) -> None:
    for user, first, last in ((alice, "Lê Thị", "An"), (bob, "Trần Văn", "Bình")):
        user.first_name, user.last_name = first, last
        user.save()


def test_the_receipt_names_the_receiving_officer_with_title_and_keeps_its_signatures(
    alice: User, named: None, make_dossier: Any
) -> None:
    pdf = b"%PDF-1.4\n%%EOF\n"
    uploads = [
        Upload(f"Giấy tờ {n}", f"g{n}.pdf", pdf, "application/pdf", ".pdf") for n in range(12)
    ]
    dossier = make_dossier(alice, uploads=uploads)
    text = pages(documents.render(dossier, "receipt"))
    whole = "\n".join(text)
    assert "Lê Thị An" in whole
    assert "Công chức tiếp nhận và trả kết quả" in whole
    assert "alice" not in whole
    assert "application/pdf" not in whole
    assert "Bản điện tử" in whole
    signing = next(page for page in text if "NGƯỜI NỘP HỒ SƠ" in page)
    assert "Tra cứu tình trạng hồ sơ" in signing  # the closing lines went with the signatures


def test_the_online_receipt_names_no_citizen_as_the_receiving_officer(
    citizen: User, alice: User, named: None
) -> None:
    filed = file_online()
    whole = "\n".join(pages(documents.render(filed, "receipt")))
    assert "TIẾP NHẬN TRỰC TUYẾN" in whole
    assert "NGƯỜI TIẾP NHẬN HỒ SƠ" not in whole
    accepted = actions.do_accept_dossier(filed, actor=alice)
    whole = "\n".join(pages(documents.render(accepted, "receipt")))
    assert "NGƯỜI TIẾP NHẬN HỒ SƠ" in whole
    assert "Lê Thị An" in whole


@override_settings(SITE_URL="https://dichvucong.example.gov.vn")
def test_the_qr_and_lookup_point_to_the_site_address(alice: User, make_dossier: Any) -> None:
    dossier = make_dossier(alice)
    assert documents.lookup_url(dossier).startswith("https://dichvucong.example.gov.vn/lookup/?")
    assert "dichvucong.example.gov.vn" in "\n".join(pages(documents.render(dossier, "receipt")))


def test_the_return_slip_and_control_sheet_print_full_names(
    client: Client, alice: User, bob: User, named: None, make_dossier: Any
) -> None:
    dossier = make_dossier(alice, procedure=BIRTH)
    assert "return-slip" not in documents.available(dossier, list(dossier.events.all()))
    dossier = actions.do_assign_dossier(dossier, assignee=bob, actor=bob)
    dossier = actions.do_approve_dossier(dossier, actor=bob)
    dossier = actions.do_mark_result_ready(dossier, actor=bob)
    dossier = actions.do_return_result(dossier, actor=alice)
    client.force_login(alice)
    slip = "\n".join(pages(client.get(f"/staff/dossiers/{dossier.code}/return-slip.pdf").content))
    assert "PHIẾU TRẢ KẾT QUẢ GIẢI QUYẾT HỒ SƠ" in slip
    assert "Lê Thị An" in slip
    assert "Chấp thuận" in slip
    sheet = "\n".join(pages(documents.render(Dossier.objects.get(pk=dossier.pk), "control-sheet")))
    assert "Trần Văn Bình" in sheet
    assert "bob" not in sheet
    assert "return_result" not in sheet  # action names in Vietnamese, not code


def test_the_current_step_after_the_return_is_the_last(
    client: Client, alice: User, bob: User, make_dossier: Any
) -> None:
    dossier = make_dossier(alice, procedure=BIRTH)
    dossier = actions.do_assign_dossier(dossier, assignee=bob, actor=bob)
    dossier = actions.do_approve_dossier(dossier, actor=bob)
    dossier = actions.do_mark_result_ready(dossier, actor=bob)
    dossier = actions.do_return_result(dossier, actor=alice)
    client.force_login(alice)
    context = client.get(f"/staff/dossiers/{dossier.code}/").context
    assert context["current_step"] == context["steps"][-1]
