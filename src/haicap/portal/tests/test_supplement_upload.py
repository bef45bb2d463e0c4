"""A citizen answers a supplement request on the web: the papers are kept and the clock runs
again. The citizen (her own dossier) and anyone with the lookup secret may send them; without
papers the page says what is missing and nothing changes."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from haicap.dossiers.models import Dossier, PaperStage, Status

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def waiting_for(citizen: User) -> Dossier:
    return Dossier.objects.get(applicant_user=citizen, status=Status.SUPPLEMENT_REQUESTED)


def a_paper() -> SimpleUploadedFile:
    return SimpleUploadedFile("ban-sao-giay-khai-sinh.pdf", PDF, content_type="application/pdf")


def test_the_citizen_sends_the_missing_papers_from_her_page(client: Client, citizen: User) -> None:
    dossier = waiting_for(citizen)
    client.force_login(citizen)
    response = client.post(
        f"/lookup/{dossier.code}/supplement/",
        {"papers": [a_paper()], "note": "Bản sao đã chứng thực"},
        follow=True,
    )
    assert response.redirect_chain == [(f"/me/{dossier.code}/", 302)]
    assert "Đã gửi giấy tờ; hồ sơ tiếp tục được giải quyết." in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING
    assert dossier.paused_at is None
    sent = dossier.papers.get(stage=PaperStage.SUPPLEMENT)
    assert sent.original_name == "ban-sao-giay-khai-sinh.pdf"
    assert sent.file.read() == PDF
    assert dossier.events.get(action="receive_supplement").note == "Bản sao đã chứng thực"


def test_anyone_with_the_lookup_secret_may_send_them(client: Client, citizen: User) -> None:
    dossier = waiting_for(citizen)
    response = client.post(
        f"/lookup/{dossier.code}/supplement/", {"papers": [a_paper()], "secret": dossier.secret}
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/lookup/?")
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING


def test_without_papers_the_page_says_so_and_nothing_changes(client: Client, citizen: User) -> None:
    dossier = waiting_for(citizen)
    client.force_login(citizen)
    response = client.post(f"/lookup/{dossier.code}/supplement/", {"note": "Quên đính kèm"})
    page = client.get(response["Location"]).content.decode()
    assert "Cần đính kèm giấy tờ còn thiếu." in page
    dossier.refresh_from_db()
    assert dossier.status == Status.SUPPLEMENT_REQUESTED
    assert not dossier.papers.filter(stage=PaperStage.SUPPLEMENT).exists()


def test_a_wrong_secret_finds_nothing(client: Client, citizen: User) -> None:
    dossier = waiting_for(citizen)
    response = client.post(
        f"/lookup/{dossier.code}/supplement/", {"papers": [a_paper()], "secret": "WRONG123"}
    )
    assert response.status_code == 404
    dossier.refresh_from_db()
    assert dossier.status == Status.SUPPLEMENT_REQUESTED
