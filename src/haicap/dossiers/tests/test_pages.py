"""Staff pages: queues with counts, the dossier page with only allowed actions, intake, PDFs."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from haicap.conftest import MARITAL, eform_post
from haicap.core.calendar import ZONE, calendar
from haicap.core.models import AuditEvent
from haicap.dossiers.models import Dossier, Status


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_anonymous_is_sent_to_sign_in(client: Client) -> None:
    response = client.get("/staff/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_non_officer_gets_404(client: Client, django_user_model: Any) -> None:
    client.force_login(django_user_model.objects.create_user("citizen", password="x-long-pass-1"))
    assert client.get("/staff/").status_code == 404


def test_queues_show_counts(client: Client, alice: User, make_dossier: Any) -> None:
    make_dossier(alice)
    client.force_login(alice)
    response = client.get("/staff/?queue=unit")
    assert response.status_code == 200
    assert response.context["counts"]["unit"] == 1
    assert response.context["page"].count == 1
    fragment = client.get("/staff/?queue=unit&q=binh", headers={"HX-Request": "true"})
    assert "<html" not in fragment.content.decode()


def test_the_page_offers_only_what_this_officer_may_do(
    client: Client, alice: User, bob: User, frank: User, make_dossier: Any
) -> None:
    dossier = make_dossier(alice)
    url = f"/staff/dossiers/{dossier.code}/"
    client.force_login(alice)
    offered = [name for name, _spec in client.get(url).context["allowed"]]
    assert "assign" in offered
    assert "stop" not in offered  # a leader's action
    client.force_login(frank)
    assert client.get(url).context["allowed"] == []
    assert AuditEvent.objects.filter(verb="dossier.read", subject_id=dossier.code).count() == 2


def test_acting_from_the_page(client: Client, alice: User, bob: User, make_dossier: Any) -> None:
    dossier = make_dossier(alice)
    client.force_login(bob)
    base = f"/staff/dossiers/{dossier.code}"
    response = client.post(f"{base}/act/assign/", {"version": 1, "assignee": "alice"}, follow=True)
    assert response.status_code == 200
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING
    # The same form sent again (stale version) changes nothing and says why.
    again = client.post(f"{base}/act/assign/", {"version": 1, "assignee": "bob"}, follow=True)
    messages = [str(m) for m in again.context["messages"]]
    assert any("changed" in m or "thay đổi" in m for m in messages), messages
    dossier.refresh_from_db()
    assert dossier.assignee_id == alice.pk


def test_counter_intake_issues_a_receipt(client: Client, alice: User) -> None:
    client.force_login(alice)
    scan = SimpleUploadedFile("to-khai.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    response = client.post(
        "/staff/intake/",
        {
            "procedure": MARITAL,
            "centre": "H01.00004",
            "channel": 1,
            "full_name": "Trần Thị Hoa",
            "id_number": "001199001234",
            "phone": "0987654321",
            "pages": 0,
            "copies": 1,
            "papers": [scan],
            "form_token": "abc",
            **eform_post(MARITAL, counter=True),
        },
    )
    assert response.status_code == 302, response.content
    dossier = Dossier.objects.get(applicant_name="Trần Thị Hoa")
    assert response["Location"].endswith(f"/staff/dossiers/{dossier.code}/")
    assert dossier.papers.count() == 1
    receipt = client.get(f"/staff/dossiers/{dossier.code}/receipt.pdf")
    assert receipt["Content-Type"] == "application/pdf"
    text = pdf_text(receipt.content)
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text
    assert "Trần Thị Hoa" in text
    assert dossier.code in text
    assert dossier.secret in text


def test_a_disguised_file_is_refused(client: Client, alice: User) -> None:
    client.force_login(alice)
    fake = SimpleUploadedFile("scan.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(
        "/staff/intake/",
        {
            "procedure": MARITAL,
            "centre": "H01.00004",
            "channel": 1,
            "full_name": "An",
            "pages": 0,
            "copies": 1,
            "papers": [fake],
        },
    )
    assert response.status_code == 200
    assert "PDF" in response.content.decode()
    assert Dossier.objects.count() == 0


@pytest.mark.parametrize(
    ("steps", "form", "heading"),
    [
        (
            [("request_supplement", {"missing": "Tờ khai", "reason": "Thiếu chữ ký"})],
            "supplement",
            "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
        ),
        (
            [("refuse_intake", {"reason": "Không thuộc thẩm quyền"})],
            "refusal",
            "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
        ),
        (
            [("apologise", {"reason": "Cần xác minh", "new_due_at": "LATER"})],
            "apology",
            "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
        ),
        ([], "control-sheet", "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ"),
    ],
)
def test_forms_render_in_vietnamese(
    client: Client,
    alice: User,
    bob: User,
    make_dossier: Any,
    steps: list[Any],
    form: str,
    heading: str,
) -> None:
    dossier = make_dossier(alice)
    officer = bob if any(step == "apologise" for step, _ in steps) else alice
    client.force_login(officer)
    for action, fields in steps:
        dossier.refresh_from_db()
        if fields.get("new_due_at") == "LATER":  # two working days after the appointment
            later = calendar().due_in_working_days(dossier.due_at or timezone.now(), 2)
            fields = {**fields, "new_due_at": later.astimezone(ZONE).strftime("%Y-%m-%dT%H:%M")}
        client.post(
            f"/staff/dossiers/{dossier.code}/act/{action}/",
            {"version": dossier.version, "confirmed": "yes", **fields},
        )
    response = client.get(f"/staff/dossiers/{dossier.code}/{form}.pdf")
    assert response.status_code == 200, response.content[:300]
    assert heading in pdf_text(response.content)


def test_a_form_that_does_not_apply_yet_is_404(
    client: Client, alice: User, make_dossier: Any
) -> None:
    dossier = make_dossier(alice)
    client.force_login(alice)
    assert client.get(f"/staff/dossiers/{dossier.code}/apology.pdf").status_code == 404
