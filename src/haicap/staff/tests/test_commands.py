"""Onboarding officers: `haicap staff add`, `staff import` (CSV and XLSX), `token create`."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from haicap.staff.access import scope_of
from haicap.staff.models import ApiToken, RoleAssignment

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_staff_add_with_repeated_roles() -> None:
    output = run(
        "staff", "add", "lan", "--unit", "00004", "--role", "receiver", "--role", "specialist"
    )
    assert "password:" in output
    user = User.objects.get(username="lan")
    assert set(RoleAssignment.objects.filter(user=user).values_list("role", flat=True)) == {
        "receiver",
        "specialist",
    }
    assert scope_of(user).units  # sees Ba Đình
    again = run(
        "staff",
        "add",
        "lan",
        "--unit",
        "00004",
        "--role",
        "receiver",
        "--password",
        "Another-pass-1",
    )
    assert "updated" in again
    assert RoleAssignment.objects.filter(user=user).count() == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--unit", "99999", "--role", "receiver"], "99999"),
        (["--unit", "001", "--role", "receiver"], "001"),  # a district: gone since 2025
        (["--unit", "00004", "--role", "province_admin"], "(province|tỉnh)"),
    ],
)
def test_staff_add_refuses_bad_input(args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        run("staff", "add", "mai", *args)
    assert not User.objects.filter(username="mai").exists()


def test_staff_import_csv_reports_refused_rows(tmp_path: Path) -> None:
    file = tmp_path / "officers.csv"
    file.write_text(
        "username,full_name,email,unit,roles,password\n"
        "an.tn,Trần Ngọc An,an@example.vn,00004,receiver;specialist,\n"
        "bao.lv,Lê Văn Bảo,,00070,leader,Long-pass-123\n"
        "x,Too Short,,00004,receiver,\n"
        "cuc.pt,Phạm Thị Cúc,,99999,receiver,\n"
        "dung.hv,Hoàng Văn Dũng,,00004,mayor,\n",
        encoding="utf-8",
    )
    out = io.StringIO()
    with pytest.raises(CommandError, match="3 rows refused"):
        call_command("staff", "import", str(file), stdout=out)
    report = out.getvalue()
    assert "2 officers imported, 3 refused" in report
    assert "row 4 (x)" in report
    assert "row 5 (cuc.pt)" in report
    assert "row 6 (dung.hv)" in report
    assert User.objects.filter(username__in=["an.tn", "bao.lv"]).count() == 2


def test_staff_import_xlsx(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["username", "full_name", "unit", "roles"])
    sheet.append(["hoa.nt", "Nguyễn Thị Hoa", "01", "province_admin"])
    file = tmp_path / "officers.xlsx"
    book.save(file)
    passwords = tmp_path / "passwords.csv"
    run("staff", "import", str(file), "--passwords-out", str(passwords))
    assert RoleAssignment.objects.get(user__username="hoa.nt").role == "province_admin"
    assert "hoa.nt," in passwords.read_text()


def test_token_create_prints_a_token_stored_only_hashed() -> None:
    run("staff", "add", "tok", "--unit", "00004", "--role", "receiver")
    token = run("token", "create", "tok").strip()
    assert token.startswith("hc_")
    record = ApiToken.objects.get(user__username="tok")
    assert token not in record.key_hash
    assert token.startswith(record.prefix)
    with pytest.raises(CommandError, match="nobody"):
        run("token", "create", "nobody")
