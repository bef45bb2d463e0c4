"""Agency identifier codes: derived for every unit, replaced by a province's official table."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from django.db import connection

from haicap.core.actors import SYSTEM
from haicap.core.models import AuditEvent
from haicap.units.actions import do_ensure_service_centres, do_load_agency_codes
from haicap.units.centres import open_centre, own_centre
from haicap.units.models import AdminUnit, ServiceCenter
from haicap.units.queries import today

pytestmark = pytest.mark.django_db


def test_every_unit_has_a_derived_code() -> None:
    current = AdminUnit.objects.in_force_on(today())
    assert current.get(code="01").agency_code == "H01"
    assert current.get(code="00004").agency_code == "H01.00004"
    assert not AdminUnit.objects.filter(agency_code="").exists()


def test_a_province_loads_its_official_codes(tmp_path: Path) -> None:
    table = tmp_path / "codes.csv"
    table.write_text("unit,agency_code\n00004,h26.50.01\n00070,H26.50.02\n", encoding="utf-8")
    report = do_load_agency_codes(table, on=today(), actor=SYSTEM)
    assert (report.updated, report.refused) == (2, [])
    current = AdminUnit.objects.in_force_on(today())
    assert current.get(code="00004").agency_code == "H26.50.01"
    assert AuditEvent.objects.filter(verb="units.agency_codes").count() == 1


def test_a_bad_row_changes_nothing(tmp_path: Path) -> None:
    table = tmp_path / "codes.csv"
    table.write_text(
        "unit,agency_code\n00004,H26.50.01\n99999,H26.50.09\n00070,H26 50\n00097,H26.50.01\n",
        encoding="utf-8",
    )
    report = do_load_agency_codes(table, on=today(), actor=SYSTEM)
    assert [line for line, _reason in report.refused] == [3, 4, 5]
    assert AdminUnit.objects.in_force_on(today()).get(code="00004").agency_code == "H01.00004"


def _centre(code: str) -> ServiceCenter:
    return ServiceCenter.objects.select_related("unit", "unit__province").get(code=code)


def test_centres_carry_their_units_agency_codes() -> None:
    """A commune's centre is its unit's agency code; a provincial centre its province's."""
    ba_dinh = AdminUnit.objects.in_force_on(today()).get(code="00004")
    hanoi = AdminUnit.objects.in_force_on(today()).get(code="01")
    commune_centre, provincial_centre = own_centre(ba_dinh), own_centre(hanoi)
    assert commune_centre is not None
    assert provincial_centre is not None
    assert commune_centre.code == ba_dinh.agency_code == "H01.00004"
    assert provincial_centre.code == "H01.TT"
    assert not ServiceCenter.objects.filter(code__regex=r"^[0-9]").exists()


def test_official_codes_rename_the_centres_a_province_did_not_rename(tmp_path: Path) -> None:
    hand_set = _centre("H01.00070")
    hand_set.code = "H01.HK.MC"  # the province named this one itself
    hand_set.save(update_fields=["code"])
    table = tmp_path / "codes.csv"
    table.write_text("unit,agency_code\n00004,H26.50.01\n00070,H26.50.02\n", encoding="utf-8")
    report = do_load_agency_codes(table, on=today(), actor=SYSTEM)
    assert (report.updated, report.centres) == (2, 1)
    assert _centre("H26.50.01").unit.code == "00004"
    assert ServiceCenter.objects.filter(code="H01.HK.MC").exists()
    assert not ServiceCenter.objects.filter(code="H26.50.02").exists()
    assert do_ensure_service_centres(actor=SYSTEM) == 0  # the renamed centres are still theirs


def test_the_old_form_of_a_centre_code_still_finds_it() -> None:
    assert open_centre("01.00004") == open_centre("H01.00004") == _centre("H01.00004")
    assert open_centre("01.99999") is None


def test_the_migration_renames_old_style_codes() -> None:
    """Codes haicap wrote before (01.TT, 01.00004, legacy 01.00004.2025) gain the H."""
    migration = importlib.import_module("haicap.units.migrations.0003_centre_agency_codes")
    hanoi_centre, ba_dinh_centre = _centre("H01.TT"), _centre("H01.00004")
    ServiceCenter.objects.filter(pk=hanoi_centre.pk).update(code="01.TT")
    ServiceCenter.objects.filter(pk=ba_dinh_centre.pk).update(code="01.00004")
    legacy = ServiceCenter.objects.create(
        code="01.00001.2025", name="Bộ phận một cửa", kind="commune", unit=ba_dinh_centre.unit
    )
    with connection.cursor() as cursor:
        cursor.execute(migration.FOLLOW_UNITS)
        cursor.execute(migration.PREFIX_REST)
    codes = ServiceCenter.objects.in_bulk([hanoi_centre.pk, ba_dinh_centre.pk, legacy.pk])
    assert codes[hanoi_centre.pk].code == "H01.TT"
    assert codes[ba_dinh_centre.pk].code == "H01.00004"
    assert codes[legacy.pk].code == "H01.00001.2025"
