"""Online filing through the e-form: every error at once, chosen files kept across a failed
try, required papers enforced on the pages and the public API, no duplicate on a retry."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from haicap.conftest import BIRTH, MARITAL, eform_post, example_form
from haicap.dossiers.models import Dossier, DossierForm
from haicap.portal.models import Draft, PendingUpload
from haicap.procedures.models import Procedure

pytestmark = pytest.mark.django_db

PLACE = {"province": "01", "commune": "00004", "full_name": "Đỗ Thu Hà", "phone": "0911222333"}
URL = f"/procedures/{BIRTH}/file/"


def pdf(name: str = "giay-chung-sinh.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")


def paper(name_start: str, code: str = BIRTH) -> int:
    return Procedure.objects.get(code=code).papers.get(name__startswith=name_start).pk


def test_the_form_shows_the_e_form_and_the_papers(client: Client) -> None:
    page = client.get(URL).content.decode()
    assert "Tờ khai đăng ký khai sinh" in page
    assert 'name="child_full_name"' in page
    assert 'name="father_full_name"' in page
    assert f'name="paper_{paper("Giấy chứng sinh")}"' in page
    assert f'name="desk_{paper("Giấy tờ tùy thân")}"' in page
    # The declaration paper is the e-form itself: nothing to upload for it.
    assert f'name="paper_{paper("Tờ khai")}"' not in page


def test_every_error_at_once_and_the_chosen_file_kept(client: Client) -> None:
    certificate = paper("Giấy chứng sinh")
    values = eform_post(BIRTH) | {"mother_id_number": "12", "child_born_on": "9999-12-31"}
    values.pop(f"desk_{paper('Giấy tờ tùy thân')}")
    first = client.post(URL, PLACE | values | {"phone": "123", f"paper_{certificate}": [pdf()]})
    assert first.status_code == 200
    errors = first.context["form"].errors
    assert {
        "mother_id_number",
        "child_born_on",
        "phone",
        f"paper_{paper('Giấy tờ tùy thân')}",
    } <= set(errors)
    assert "Giấy tờ tùy thân của người đi đăng ký" in " ".join(errors["__all__"])
    assert Draft.objects.count() == 0
    assert Dossier.objects.count() == 0
    # The certificate chosen is kept and shown attached; the next try need not choose it again.
    assert PendingUpload.objects.get().required_paper_id == certificate
    assert "giay-chung-sinh.pdf" in first.content.decode()
    second = client.post(URL, PLACE | eform_post(BIRTH))
    assert second.status_code == 302, second.context["form"].errors
    draft = Draft.objects.get()
    assert draft.papers.get().required_paper_id == certificate
    assert PendingUpload.objects.count() == 0
    review = client.get(second["Location"]).content.decode()
    assert "Nguyễn Minh An" in review
    assert "giay-chung-sinh.pdf" in review

    submitted = client.post(second["Location"])
    assert submitted.status_code == 302
    dossier = Dossier.objects.get()
    eform = DossierForm.objects.get(dossier=dossier)
    assert eform.values["mother_full_name"] == "Nguyễn Thị Bình"
    assert {p["how"] for p in eform.papers} == {"form", "uploaded", "desk"}
    # Submitting the same draft again (a double click) files nothing more.
    assert client.post(second["Location"]).status_code == 404
    assert Dossier.objects.count() == 1


def test_a_paper_that_must_be_uploaded_cannot_wait_for_the_desk(client: Client) -> None:
    certificate = paper("Giấy chứng sinh")
    response = client.post(URL, PLACE | eform_post(BIRTH) | {f"desk_{certificate}": "on"})
    assert response.status_code == 200
    assert f"paper_{certificate}" in response.context["form"].errors
    assert Draft.objects.count() == 0


def test_a_removed_file_is_no_longer_attached(client: Client) -> None:
    certificate = paper("Giấy chứng sinh")
    client.post(URL, PLACE | {f"paper_{certificate}": [pdf()]})
    kept = PendingUpload.objects.get()
    again = client.post(URL, PLACE | eform_post(BIRTH) | {"discard": str(kept.pk)})
    assert again.status_code == 200
    assert f"paper_{certificate}" in again.context["form"].errors
    assert PendingUpload.objects.count() == 0


def test_pending_files_belong_to_their_session(client: Client) -> None:
    client.post(URL, PLACE | {f"paper_{paper('Giấy chứng sinh')}": [pdf()]})
    other = Client()
    page = other.get(URL).content.decode()
    assert "giay-chung-sinh.pdf" not in page


def b64(content: bytes) -> str:
    return base64.b64encode(content).decode()


def api_body(**changes: Any) -> dict[str, Any]:
    return {
        "procedure": BIRTH,
        "unit": "00004",
        "applicant": {"full_name": "Phạm Minh Châu", "phone": "0901234567"},
        "form": example_form(BIRTH),
        "papers": [
            {
                "paper": paper("Giấy chứng sinh"),
                "file_name": "gcs.pdf",
                "content_base64": b64(b"%PDF-1.4\n%%EOF\n"),
            }
        ],
        "at_desk": [paper("Giấy tờ tùy thân")],
        **changes,
    }


def api(client: Client, body: dict[str, Any], key: str = "") -> Any:
    headers = {"Idempotency-Key": key} if key else {}
    return client.post(
        "/api/v1/public/dossiers", body, content_type="application/json", headers=headers
    )


def test_the_api_names_the_missing_papers(client: Client) -> None:
    response = api(client, api_body(papers=[], at_desk=[]))
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["missing"] == [
        "Giấy chứng sinh (hoặc văn bản của người làm chứng)",
        "Giấy tờ tùy thân của người đi đăng ký",
    ]
    assert Dossier.objects.count() == 0


def test_the_api_names_every_bad_value(client: Client) -> None:
    form = example_form(BIRTH) | {"child_sex": "x", "father_id_number": "1"}
    response = api(client, api_body(form=form))
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["error"]["errors"]}
    assert fields == {"child_sex", "father_id_number"}
    bad_file = api_body(papers=[{"paper": None, "file_name": "x.pdf", "content_base64": "@@"}])
    assert api(client, bad_file).status_code == 422
    disguised = api_body(
        papers=[
            {"paper": paper("Giấy chứng sinh"), "file_name": "x.pdf", "content_base64": b64(b"MZ")}
        ]
    )
    assert api(client, disguised).json()["error"]["field"] == "papers[0]"
    assert Dossier.objects.count() == 0


def test_the_api_files_once_and_stores_the_form(client: Client) -> None:
    first = api(client, api_body(), key="k-1")
    assert first.status_code == 201, first.content
    again = api(client, api_body(), key="k-1")
    assert again.json()["code"] == first.json()["code"]
    dossier = Dossier.objects.get()
    assert dossier.eform.values["child_full_name"] == "Nguyễn Minh An"
    assert dossier.papers.get().required_paper_id == paper("Giấy chứng sinh")
    changed = api(client, api_body(form=example_form(BIRTH) | {"child_full_name": "Khác"}), "k-1")
    assert changed.status_code == 409
    assert Dossier.objects.count() == 1


def test_the_api_describes_the_form(client: Client) -> None:
    body = client.get(f"/api/v1/public/procedures/{MARITAL}/form").json()
    assert body["definition"]["title"] == "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân"
    assert body["papers"][0]["is_declaration"] is True
    without = client.get("/api/v1/public/procedures/HCP.XD.001/form").json()
    assert without["definition"] is None
    assert without["papers"]


def test_the_citizen_downloads_the_declaration(client: Client, citizen: User) -> None:
    dossier = Dossier.objects.filter(applicant_user=citizen).first()
    assert dossier is not None
    client.force_login(citizen)
    status = client.get(f"/me/{dossier.code}/").content.decode()
    assert f"/lookup/{dossier.code}/declaration.pdf" in status
    response = client.get(f"/lookup/{dossier.code}/declaration.pdf")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    client.logout()
    assert client.get(f"/lookup/{dossier.code}/declaration.pdf").status_code == 404
