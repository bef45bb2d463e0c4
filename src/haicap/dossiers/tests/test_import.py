"""`haicap dossiers import`: the previous system's dossiers, all rows checked, all or nothing."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from haicap.core.calendar import ZONE
from haicap.core.models import AuditEvent
from haicap.dossiers.models import Dossier, Status
from haicap.dossiers.timeline import replay, state_of
from haicap.units.models import Tier

pytestmark = pytest.mark.django_db

ID_NUMBER = "001090012345"
PHONE = "0912000999"


def row(code: str, **changes: str) -> dict[str, str]:
    base = {
        "MaHoSo": code,
        "MaTTHC": "HCP.HT.004",
        "MaDonVi": "00004",  # Phường Trúc Bạch on the day of receipt
        "NgayTiepNhan": "20250610090000",
        "NgayHenTra": "20250613170000",
        "TrangThaiHoSo": "4",
        "ChuHoSo": "Lê Văn Cũ",
        "SoGiayToChuHoSo": ID_NUMBER,
        "SoDienThoaiChuHoSo": PHONE,
        "DiaChiChuHoSo": "5 Trúc Bạch",
    }
    return base | changes


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    columns = sorted({key for r in rows for key in r})
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    return path


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("dossiers", "import", *args, "--no-progress", stdout=out)
    return out.getvalue()


def test_a_csv_keeps_codes_dates_and_states(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "old.csv",
        [
            row("T01-250610-0001"),
            row("T01-250610-0002", TrangThaiHoSo="5"),
            row("T01-250610-0003", TrangThaiHoSo="10", NgayKetThucXuLy="20250612100000"),
        ],
    )
    output = run(str(path))
    assert "3 rows checked, 3 imported, 0 refused" in output
    processing = Dossier.objects.get(code="T01-250610-0001")
    assert processing.status == Status.PROCESSING
    assert processing.received_at == dt.datetime(2025, 6, 10, 9, tzinfo=ZONE)
    assert processing.due_at == dt.datetime(2025, 6, 13, 17, tzinfo=ZONE)
    assert processing.responsible_unit.name == "Phường Trúc Bạch"
    assert processing.responsible_unit.valid_to == dt.date(2025, 6, 30)
    assert processing.applicant_id_number == ID_NUMBER
    waiting = Dossier.objects.get(code="T01-250610-0002")
    assert waiting.status == Status.SUPPLEMENT_REQUESTED
    assert waiting.paused_at is not None  # the clock is stopped, as in the old system
    returned = Dossier.objects.get(code="T01-250610-0003")
    assert returned.finished_at == dt.datetime(2025, 6, 12, 10, tzinfo=ZONE)
    assert returned.returned_at == returned.finished_at
    for dossier in (processing, waiting, returned):
        assert [e.action for e in dossier.events.all()] == ["import"]
        assert replay(dossier.events.order_by("seq")) == state_of(dossier)
    assert AuditEvent.objects.filter(verb="dossier.import").count() == 3
    assert PHONE not in output
    assert ID_NUMBER not in output


def test_one_refused_row_imports_nothing_and_every_refusal_is_reported(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "old.csv",
        [
            row("T01-250610-0001"),
            row("T01-250610-0002", MaTTHC="NO.SUCH"),
            row("T01-250610-0003", MaDonVi="99999"),
            row("T01-250610-0004", NgayTiepNhan="10/06/2025"),
            row("T01-250610-0005", TrangThaiHoSo="11"),
            row("T01-250610-0001"),
            row("T01-250610-0007", SoGiayToChuHoSo="12345"),
            row("T01-250610-0008", NgayHenTra="20250601000000"),
        ],
    )
    output = io.StringIO()
    with pytest.raises(CommandError, match="nothing imported"):
        call_command("dossiers", "import", str(path), "--no-progress", stdout=output)
    text = output.getvalue()
    assert Dossier.objects.count() == 0
    assert AuditEvent.objects.filter(verb="dossier.import").count() == 0
    assert "8 rows checked, 0 imported, 7 refused" in text
    # Each reason names the column or value at fault (the words are Vietnamese).
    for line, reason in [
        (3, "NO.SUCH"),
        (4, "99999"),
        (5, "yyyyMMddHHmmss"),
        (6, "TrangThaiHoSo"),
        (7, "MaHoSo T01-250610-0001"),
        (8, "SoGiayToChuHoSo"),
        (9, "NgayHenTra"),
    ]:
        assert any(f"row {line} " in out and reason in out for out in text.splitlines()), (
            line,
            reason,
        )
    assert "12345" not in text  # a wrong ID number is named, never printed


def test_skip_invalid_imports_the_others(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "old.csv", [row("T01-250610-0001"), row("T01-250610-0002", MaTTHC="X")]
    )
    output = run(str(path), "--skip-invalid")
    assert "2 rows checked, 1 imported, 1 refused" in output
    assert list(Dossier.objects.values_list("code", flat=True)) == ["T01-250610-0001"]


def test_importing_the_same_file_twice_creates_no_duplicates(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "old.csv", [row("T01-250610-0001")])
    run(str(path))
    with pytest.raises(CommandError):
        run(str(path))
    assert Dossier.objects.filter(code="T01-250610-0001").count() == 1


def test_a_json_list_and_the_district_rule(tmp_path: Path) -> None:
    path = tmp_path / "old.json"
    path.write_text(
        json.dumps(
            [
                # Quận Ba Đình received a construction permit: the district handled it.
                row("Q01-250610-0001", MaDonVi="001", MaTTHC="HCP.TP.001"),
                # At a commune, a province-tier procedure went up to the province.
                row("T01-250610-0002", MaTTHC="HCP.TP.001"),
                row("T01-250610-0003", MaDonViCuTru="00004", KenhNop="2"),
            ]
        ),
        encoding="utf-8",
    )
    run(str(path))
    district = Dossier.objects.get(code="Q01-250610-0001")
    assert district.responsible_unit.tier == Tier.DISTRICT
    assert district.responsible_unit.code == "001"
    province = Dossier.objects.get(code="T01-250610-0002")
    assert province.responsible_unit.tier == Tier.PROVINCE
    assert province.receiving_unit.name == "Phường Trúc Bạch"
    online = Dossier.objects.get(code="T01-250610-0003")
    assert online.channel == 2
    assert online.applicant_unit is not None
    assert online.applicant_unit.name == "Phường Trúc Bạch"


def test_a_file_that_is_not_a_table_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"MaHoSo": "x"}', encoding="utf-8")
    with pytest.raises(CommandError, match="list of objects"):
        run(str(path))
    with pytest.raises(CommandError, match="does not exist"):
        run(str(tmp_path / "missing.csv"))
