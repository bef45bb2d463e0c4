"""The dossier register and the result-return register: contents as PDF and XLSX, who may
print which desk's, bounded periods."""

from __future__ import annotations

import io
from typing import Any

from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from haicap.conftest import BA_DINH, BIRTH, HANOI, HOAN_KIEM
from haicap.core.models import AuditEvent
from haicap.dossiers import actions

DESK = f"H{HANOI}.{BA_DINH}"


def url(kind: str, fmt: str, centre: str = DESK, start: str = "", end: str = "") -> str:
    today = f"{timezone.localdate():%Y-%m-%d}"
    return (
        f"/staff/registers/?kind={kind}&centre={centre}&format={fmt}"
        f"&start={start or today}&end={end or today}"
    )


def test_registers_list_the_period_s_dossiers_and_returns(
    client: Client, alice: User, bob: User, make_dossier: Any
) -> None:
    bob.first_name, bob.last_name = "Trần Văn", "Bình"
    bob.save()
    waiting = make_dossier(alice)
    done = make_dossier(alice, procedure=BIRTH)
    done = actions.do_assign_dossier(done, assignee=bob, actor=bob)
    done = actions.do_approve_dossier(done, actor=bob)
    done = actions.do_mark_result_ready(done, actor=bob)
    done = actions.do_return_result(done, actor=bob)
    client.force_login(alice)

    pdf = client.get(url("dossiers", "pdf"))
    assert pdf["Content-Type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "SỔ THEO DÕI HỒ SƠ" in text
    assert waiting.code in text.replace("\n", "")
    assert "Nguyễn Thị Bình" in text

    sheet = load_workbook(io.BytesIO(client.get(url("returns", "xlsx")).content)).active
    assert sheet is not None
    table = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert table[0][:3] == ["STT", "Mã hồ sơ", "Tên thủ tục hành chính"]
    assert [row[1] for row in table[1:]] == [done.code]
    assert table[1][7] == "Trần Văn Bình"
    assert table[1][6] in {"Trước hạn", "Đúng hạn"}

    sheet = load_workbook(io.BytesIO(client.get(url("dossiers", "xlsx")).content)).active
    assert sheet is not None
    assert {row[1].value for row in sheet.iter_rows(min_row=2)} == {waiting.code, done.code}
    assert AuditEvent.objects.filter(verb="dossier.register", actor=alice).count() == 3


def test_another_commune_s_desk_cannot_be_printed(
    client: Client, alice: User, carol: User, make_dossier: Any
) -> None:
    make_dossier(alice)
    client.force_login(carol)
    response = client.get(url("dossiers", "xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "centre" in response.context["form"].errors
    assert client.get(url("dossiers", "xlsx", centre=f"H{HANOI}.{HOAN_KIEM}")).status_code == 200


def test_a_province_admin_prints_any_desk_of_the_province(
    client: Client, alice: User, dave: User, erin: User, make_dossier: Any
) -> None:
    dossier = make_dossier(alice)
    client.force_login(dave)
    response = client.get(url("dossiers", "xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    assert sheet.cell(2, 2).value == dossier.code
    client.force_login(erin)
    assert "centre" in client.get(url("dossiers", "xlsx")).context["form"].errors


def test_periods_are_bounded(client: Client, alice: User) -> None:
    client.force_login(alice)
    for start, end in (
        ("2025-01-01", "2026-06-01"),
        ("2026-02-01", "2026-01-01"),
        ("1800-01-01", "1800-01-02"),
        ("x", "y"),
    ):
        response = client.get(url("dossiers", "pdf", start=start, end=end))
        assert response.status_code == 200
        assert response.context["form"].errors
    assert client.get("/staff/registers/").status_code == 200
