"""The counter intake with the procedure's e-form: papers ticked against the list, scans
where the procedure digitises, every error at once, the declaration PDF and who may read it."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from pypdf import PdfReader

from haicap.conftest import BIRTH, eform_post
from haicap.dossiers.models import Dossier, DossierForm
from haicap.procedures.models import Procedure

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def scan() -> SimpleUploadedFile:
    return SimpleUploadedFile("scan.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")


def paper(name_start: str) -> int:
    return Procedure.objects.get(code=BIRTH).papers.get(name__startswith=name_start).pk


def post(client: Client, **changes: Any) -> Any:
    data = {
        "procedure": BIRTH,
        "centre": "H01.00004",
        "channel": 1,
        "full_name": "Nguyễn Thị Bình",
        "id_number": "001194004567",
        "phone": "0912345678",
        "pages": 0,
        "copies": 1,
        "form_token": "t-1",
        **eform_post(BIRTH, counter=True),
        f"scan_{paper('Giấy chứng sinh')}": [scan()],
    }
    data.update(changes)
    return client.post("/staff/intake/", {k: v for k, v in data.items() if v is not None})


def test_the_officer_fills_the_form_and_ticks_the_papers(client: Client, alice: User) -> None:
    client.force_login(alice)
    page = client.get(f"/staff/intake/?procedure={BIRTH}").content.decode()
    assert 'name="child_full_name"' in page
    assert f'name="received_{paper("Giấy chứng sinh")}"' in page
    response = post(client)
    assert response.status_code == 302, response.context["form"].errors
    dossier = Dossier.objects.get()
    declaration = DossierForm.objects.get(dossier=dossier)
    assert declaration.values["child_full_name"] == "Nguyễn Minh An"
    assert {p["how"] for p in declaration.papers} == {"form", "received"}
    assert dossier.papers.get().required_paper_id == paper("Giấy chứng sinh")
    # The same form sent again (a double click) makes no second dossier.
    assert post(client).status_code == 302
    assert Dossier.objects.count() == 1

    pdf = client.get(f"/staff/dossiers/{dossier.code}/declaration.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content)
    for expected in (
        "TỜ KHAI ĐĂNG KÝ KHAI SINH",
        "Nguyễn Minh An",
        "Bệnh viện Phụ sản Hà Nội",
        "Trần Văn Cường",
        "001092003456",
        "20/11/2026",
        "Ủy ban nhân dân Phường Ba Đình",
        "Đã nhận tại bộ phận một cửa",
        "Nguyễn Thị Bình",
    ):
        assert expected in text, expected
    detail = client.get(f"/staff/dossiers/{dossier.code}/").content.decode()
    assert f"/staff/dossiers/{dossier.code}/declaration.pdf" in detail


def test_every_problem_at_once_and_nothing_written(client: Client, alice: User) -> None:
    client.force_login(alice)
    certificate = paper("Giấy chứng sinh")
    response = post(
        client,
        **{
            f"received_{paper('Giấy tờ tùy thân')}": None,  # not ticked
            f"scan_{certificate}": None,  # ticked without its scan
            "child_full_name": "",
            "mother_id_number": "123",
            "phone": "12",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {
        "child_full_name",
        "mother_id_number",
        "phone",
        f"received_{paper('Giấy tờ tùy thân')}",
        f"scan_{certificate}",
    } <= set(errors)
    assert "Giấy tờ tùy thân của người đi đăng ký" in " ".join(errors["__all__"])
    assert Dossier.objects.count() == 0
    assert DossierForm.objects.count() == 0


def test_the_htmx_panel_brings_the_form(client: Client, alice: User) -> None:
    client.force_login(alice)
    panel = client.get(f"/staff/intake/?procedure={BIRTH}", headers={"HX-Request": "true"})
    text = panel.content.decode()
    assert "<html" not in text
    assert 'name="mother_full_name"' in text
    assert (
        client.get("/staff/intake/?procedure=", headers={"HX-Request": "true"}).status_code == 200
    )


def test_who_may_read_the_declaration(
    client: Client, alice: User, bob: User, carol: User, erin: User, dave: User
) -> None:
    client.force_login(alice)
    post(client)
    code = Dossier.objects.get().code
    url = f"/staff/dossiers/{code}/declaration.pdf"
    for allowed in (alice, bob, dave):
        client.force_login(allowed)
        assert client.get(url).status_code == 200, allowed.username
    for other in (carol, erin):  # another commune, another province
        client.force_login(other)
        assert client.get(url).status_code == 404, other.username
    client.logout()
    assert client.get(url).status_code in {302, 403}
    # The citizen's copy needs the secret.
    assert client.get(f"/lookup/{code}/declaration.pdf?secret=WRONG").status_code == 404
    secret = Dossier.objects.get().secret
    assert client.get(f"/lookup/{code}/declaration.pdf?secret={secret}").status_code == 200


def test_a_dossier_without_a_form_has_no_declaration(
    client: Client, alice: User, make_dossier: Any
) -> None:
    dossier = make_dossier(alice)
    client.force_login(alice)
    assert client.get(f"/staff/dossiers/{dossier.code}/declaration.pdf").status_code == 404
