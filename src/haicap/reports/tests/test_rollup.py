"""Roll-up: a province is the sum of its units, the nation of its provinces; and a merged
unit's history carries its predecessors' dossiers, which are never rewritten."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User

from haicap.core.actors import SYSTEM
from haicap.dossiers.actions.imports import do_import_dossiers
from haicap.dossiers.models import Dossier
from haicap.reports.aggregate import refresh
from haicap.reports.figures import Totals, query
from haicap.reports.indicators import scope_for, totals
from haicap.reports.tests.conftest import at, finish
from haicap.units.models import AdminUnit, Tier
from haicap.units.source import LEGACY_LAST_DAY, REFORM_DATE

pytestmark = pytest.mark.django_db
OCTOBER = (dt.date(2026, 10, 1), dt.date(2026, 10, 31))
PERMIT = "HCP.TP.001"  # a province-tier procedure: received at a ward, resolved by the city


def total_of(parts: dict[Any, Totals]) -> Totals:
    summed = Totals()
    for part in parts.values():
        summed = summed + part
    return summed


def test_a_province_is_the_sum_of_its_units_and_the_nation_of_its_provinces(
    make_dossier: Callable[..., Dossier], alice: User, carol: User, erin: User
) -> None:
    finish(make_dossier(at=at(5, 9)), alice, at(6, 10))
    make_dossier(at=at(5, 10))
    finish(make_dossier(at=at(6, 9), centre="H01.00070"), carol, at(20, 9))  # Hoàn Kiếm, late
    make_dossier(at=at(7, 9), procedure=PERMIT)  # to the city of Hà Nội
    quang_ninh = AdminUnit.objects.get(pk=erin.role_assignments.get().unit_id)
    make_dossier(at=at(8, 9), centre=f"H22.{quang_ninh.code}")
    refresh()

    hanoi = scope_for("01").filters()["provinces"]
    units = query("unit", start=OCTOBER[0], end=OCTOBER[1], provinces=hanoi, group="unit_id")
    province = query("province", start=OCTOBER[0], end=OCTOBER[1], provinces=hanoi)[None]
    assert total_of(units) == province
    assert province.received == 4
    assert province.late == 1
    city = AdminUnit.objects.get(code="01", valid_from=REFORM_DATE)
    assert units[city.pk].received == 1  # the city's own work is one of the parts

    by_province = query("province", start=OCTOBER[0], end=OCTOBER[1], group="province_id")
    nation = query("province", start=OCTOBER[0], end=OCTOBER[1])[None]
    assert total_of(by_province) == nation
    assert nation.received == 5
    assert totals(scope_for(None), *OCTOBER) == nation
    assert totals(scope_for("22"), *OCTOBER).received == 1


def old_row(code: str, unit: str, **changes: str) -> tuple[int, dict[str, str]]:
    return (
        1,
        {
            "MaHoSo": code,
            "MaTTHC": "HCP.HT.004",
            "MaDonVi": unit,
            "NgayTiepNhan": "20250609090000",
            "NgayHenTra": "20250612170000",
            "NgayKetThucXuLy": "20250611100000",
            "TrangThaiHoSo": "10",
            "ChuHoSo": "Người Nộp Cũ",
        }
        | changes,
    )


def test_a_merged_units_history_carries_its_predecessors() -> None:
    truc_bach = AdminUnit.objects.get(code="00004", valid_to=LEGACY_LAST_DAY)
    old_province = AdminUnit.objects.filter(
        tier=Tier.PROVINCE, valid_to=LEGACY_LAST_DAY, name__contains="Hải Dương"
    ).get()
    hai_duong_commune = AdminUnit.objects.filter(province=old_province, tier=Tier.COMMUNE).first()
    assert hai_duong_commune is not None
    report = do_import_dossiers(
        [
            old_row("OLD-TB-1", "00004"),
            old_row("OLD-HD-1", hai_duong_commune.code),
        ],
        actor=SYSTEM,
    )
    assert not report.refused, report.refused
    refresh()
    june = (dt.date(2025, 6, 1), dt.date(2025, 6, 30))
    # Phường Ba Đình (2025) was formed from Trúc Bạch and others: June 2025 is its history.
    assert totals(scope_for("00004", REFORM_DATE), *june).received == 1
    assert totals(scope_for("01", REFORM_DATE), *june).received == 1
    new_hai_phong = AdminUnit.objects.get(
        tier=Tier.PROVINCE, valid_from=REFORM_DATE, name__contains="Hải Phòng"
    )
    assert totals(scope_for(new_hai_phong.code, REFORM_DATE), *june).received == 1
    # … without the dossiers being rewritten: they keep the units that did them.
    assert Dossier.objects.get(code="OLD-TB-1").responsible_unit_id == truc_bach.pk
