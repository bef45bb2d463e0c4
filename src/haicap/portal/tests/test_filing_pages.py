"""Filing online on the pages: form, review, submit once; drafts; the status page."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from haicap.conftest import BIRTH, eform_post
from haicap.dossiers.models import Dossier, Status
from haicap.portal.actions import do_register_citizen
from haicap.portal.models import Draft

pytestmark = pytest.mark.django_db

FORM = {
    "province": "01",
    "commune": "00004",
    "full_name": "Đỗ Thu Hà",
    "id_number": "001195002222",
    "phone": "0911222333",
    "email": "ha@example.vn",
}


def pdf(name: str = "giay-chung-sinh.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")


def fill_in(client: Client, **extra: Any) -> Draft:
    procedure_papers = client.get(f"/procedures/{BIRTH}/file/").context["form"].paper_fields
    first_paper = procedure_papers[0][0]
    response = client.post(
        f"/procedures/{BIRTH}/file/",
        {**FORM, **eform_post(BIRTH), first_paper: [pdf()], **extra},
    )
    assert response.status_code == 302, response.context["form"].errors
    return Draft.objects.get(token=response["Location"].rstrip("/").rsplit("/", 1)[-1])


def test_the_catalogue_finds_a_procedure_without_diacritics(client: Client) -> None:
    response = client.get("/procedures/", {"q": "dang ky khai sinh"})
    names = [p.name for p in response.context["page"].items]
    assert "Đăng ký khai sinh" in names
    assert client.get(f"/procedures/{BIRTH}/").status_code == 200


def test_filing_review_and_submit_once(client: Client) -> None:
    draft = fill_in(client)
    assert draft.papers.count() == 1
    review = client.get(f"/drafts/{draft.token}/")
    assert "Đỗ Thu Hà" in review.content.decode()
    submitted = client.post(f"/drafts/{draft.token}/")
    assert submitted.status_code == 302
    dossier = Dossier.objects.get(applicant_name="Đỗ Thu Hà")
    assert dossier.status == Status.NEW
    assert dossier.papers.count() == 1
    assert dossier.secret in submitted["Location"]
    status_page = client.get(submitted["Location"])
    assert dossier.code in status_page.content.decode()
    # The draft is gone; pressing submit again finds nothing and files nothing.
    assert client.post(f"/drafts/{draft.token}/").status_code == 404
    assert Dossier.objects.count() == 1


def test_a_file_that_is_not_what_it_says_is_refused(client: Client) -> None:
    fields = client.get(f"/procedures/{BIRTH}/file/").context["form"].paper_fields
    fake = SimpleUploadedFile("scan.png", b"GIF89a not a png", content_type="image/png")
    response = client.post(f"/procedures/{BIRTH}/file/", {**FORM, fields[0][0]: [fake]})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert Draft.objects.count() == 0


def test_a_commune_of_another_province_is_refused(client: Client) -> None:
    response = client.post(f"/procedures/{BIRTH}/file/", {**FORM, "province": "22"})
    assert response.status_code == 200
    assert "commune" in response.context["form"].errors


def test_someone_elses_draft_is_not_found(client: Client) -> None:
    draft = fill_in(client)
    stranger = Client()
    assert stranger.get(f"/drafts/{draft.token}/").status_code == 404


def test_drafts_are_kept_for_signed_in_citizens(client: Client) -> None:
    citizen = do_register_citizen(
        email="ha@example.vn", password="Mot-mat-khau-dai-1", full_name="Đỗ Thu Hà"
    )
    client.force_login(citizen)
    draft = fill_in(client)
    assert draft.user_id == citizen.pk
    other_browser = Client()
    other_browser.force_login(citizen)
    mine = other_browser.get("/me/")
    assert draft in list(mine.context["drafts"])
    other_browser.post(f"/drafts/{draft.token}/")
    dossier = Dossier.objects.get(applicant_user=citizen)
    assert other_browser.get(f"/me/{dossier.code}/").status_code == 200


def test_lookup_page_wrong_and_unknown_alike(client: Client) -> None:
    draft = fill_in(client)
    client.post(f"/drafts/{draft.token}/")
    dossier = Dossier.objects.get()
    wrong = client.get("/lookup/", {"code": dossier.code, "secret": "WRONGSEC"})
    unknown = client.get("/lookup/", {"code": "H01.00004-000101-9999", "secret": "WRONGSEC"})
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.context["form"].non_field_errors() == unknown.context["form"].non_field_errors()
    found = client.get("/lookup/", {"code": dossier.code, "secret": dossier.secret.lower()})
    assert found.status_code == 200


def test_the_receipt_for_an_online_dossier(client: Client) -> None:
    draft = fill_in(client)
    client.post(f"/drafts/{draft.token}/")
    dossier = Dossier.objects.get()
    receipt = client.get(f"/lookup/{dossier.code}/receipt.pdf", {"secret": dossier.secret})
    assert receipt.status_code == 200
    assert receipt["Content-Type"] == "application/pdf"
    assert client.get(f"/lookup/{dossier.code}/receipt.pdf", {"secret": "X"}).status_code == 404


def test_centre_finder(client: Client) -> None:
    response = client.get("/centres/", {"province": "22"})
    assert response.context["page"].count == 55  # 54 communes and the provincial centre
    by_name = client.get("/centres/", {"q": "ba dinh"})
    assert any("Ba Đình" in c.name for c in by_name.context["page"].items)


def test_the_centre_finder_says_what_an_old_commune_is_now_part_of(client: Client) -> None:
    response = client.get("/centres/", {"q": "truc bach"})
    [(old, successions)] = response.context["former"]
    assert old.name == "Phường Trúc Bạch"
    assert [s.successor.name for s in successions] == ["Phường Ba Đình"]
    text = response.content.decode()
    assert "Phường Trúc Bạch" in text
    assert "Phường Ba Đình" in text
    # Within a province, only old communes that became part of it are named.
    assert client.get("/centres/", {"q": "truc bach", "province": "22"}).context["former"] == []


def test_signup_refuses_a_weak_password(client: Client) -> None:
    # Sign-up itself is in test_signup.py.
    weak = Client().post(
        "/account/signup/", {"full_name": "An", "email": "an@example.vn", "password": "123"}
    )
    assert "password" in weak.context["form"].errors
