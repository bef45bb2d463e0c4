"""The counter's "papers to check" panel: choosing a procedure on the intake page loads (htmx)
its papers, its time and its fee, for every procedure of the catalogue."""

from __future__ import annotations

import html

import pytest
from django.contrib.auth.models import User
from django.test import Client

from haicap.conftest import MARITAL
from haicap.procedures.models import Procedure

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def test_every_procedure_shows_its_papers_and_fee(client: Client, alice: User) -> None:
    client.force_login(alice)
    procedures = list(Procedure.objects.filter(is_active=True).prefetch_related("papers"))
    assert len(procedures) >= 16
    for procedure in procedures:
        response = client.get("/staff/intake/", {"procedure": procedure.code}, headers=HTMX)
        assert response.status_code == 200, procedure.code
        panel = html.unescape(response.content.decode())
        assert "<html" not in panel
        assert procedure.name in panel
        assert "Giấy tờ cần kiểm tra" in panel
        for paper in procedure.papers.all():
            assert paper.name in panel, (procedure.code, paper.name)
        if procedure.fee_note:
            assert f"Lệ phí: {procedure.fee_note}" in panel, procedure.code


def test_a_procedure_without_a_fee_note_shows_its_amount(client: Client, alice: User) -> None:
    procedure = Procedure.objects.get(code=MARITAL)
    Procedure.objects.filter(pk=procedure.pk).update(fee_note="", fee_amount=15000)
    client.force_login(alice)
    response = client.get("/staff/intake/", {"procedure": MARITAL}, headers=HTMX)
    assert "Lệ phí: 15.000 đ" in html.unescape(response.content.decode())


def test_an_unknown_procedure_shows_nothing(client: Client, alice: User) -> None:
    client.force_login(alice)
    response = client.get("/staff/intake/", {"procedure": "KHONG-CO"}, headers=HTMX)
    assert response.status_code == 200
    assert response.content.decode().strip() == ""


def test_going_back_to_no_procedure_empties_the_panel(client: Client, alice: User) -> None:
    """Not the whole intake page inside its own panel (a form within the form)."""
    client.force_login(alice)
    response = client.get("/staff/intake/", {"procedure": ""}, headers=HTMX)
    assert response.status_code == 200
    assert response.content.decode().strip() == ""


@pytest.mark.parametrize(
    ("name", "kind", "served"),
    [
        ("giay-khai-sinh.pdf", "application/pdf", "giay-khai-sinh.pdf"),
        ("x.exe", "application/pdf", "x.pdf"),
        ("anh.PNG", "image/png", "anh.PNG"),
        ("anh.jpeg", "image/jpeg", "anh.jpeg"),
        ("scan.pdf", "image/png", "scan.png"),
        ("khong-duoi", "application/pdf", "khong-duoi.pdf"),
    ],
)
def test_papers_are_served_under_the_extension_of_what_they_are(
    name: str, kind: str, served: str
) -> None:
    from haicap.dossiers.papers import download_name

    assert download_name(name, kind) == served
