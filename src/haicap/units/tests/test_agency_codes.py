"""Agency identifier codes: derived for every unit, replaced by a province's official table."""

from __future__ import annotations

from pathlib import Path

import pytest

from haicap.core.actors import SYSTEM
from haicap.core.models import AuditEvent
from haicap.units.actions import do_load_agency_codes
from haicap.units.models import AdminUnit
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
