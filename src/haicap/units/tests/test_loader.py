"""The registry holds exactly what the vietnamadminunits package says, and loads idempotently."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command

from haicap.core.models import AuditEvent
from haicap.units.loader import load
from haicap.units.models import AdminUnit, ServiceCenter, ServiceCenterKind, Succession, Tier
from haicap.units.source import LEGACY_LAST_DAY, REFORM_DATE, read_package
from haicap.units.tests import package_data

pytestmark = pytest.mark.django_db

BEFORE = dt.date(2025, 6, 30)
AFTER = dt.date(2025, 7, 1)


def _in_force(day: dt.date, tier: str) -> int:
    return AdminUnit.objects.in_force_on(day).filter(tier=tier).count()


def test_legacy_counts_match_the_package() -> None:
    rows = package_data.legacy_rows()
    assert _in_force(BEFORE, Tier.PROVINCE) == len({r["provinceCode"] for r in rows})
    assert _in_force(BEFORE, Tier.DISTRICT) == len({r["districtCode"] for r in rows})
    assert _in_force(BEFORE, Tier.COMMUNE) == len({r["wardCode"] for r in rows if r["wardCode"]})


def test_current_counts_match_the_package() -> None:
    rows = package_data.current_rows()
    assert _in_force(AFTER, Tier.PROVINCE) == len({r["provinceCode"] for r in rows})
    assert _in_force(AFTER, Tier.COMMUNE) == len({r["wardCode"] for r in rows})
    assert _in_force(AFTER, Tier.DISTRICT) == 0


def test_the_reform_figures_of_the_reports() -> None:
    """docs/domain.md#the-reform: 63→34 provinces, 10,040 commune rows → 3,321; three provinces."""
    assert _in_force(BEFORE, Tier.PROVINCE) == 63
    assert _in_force(AFTER, Tier.PROVINCE) == 34
    assert _in_force(BEFORE, Tier.DISTRICT) == 696
    assert _in_force(AFTER, Tier.COMMUNE) == 3321
    # 10,035 communes plus five island districts that had none: 10,040 rows mapped.
    mapped = Succession.objects.filter(predecessor__tier=Tier.COMMUNE).values("predecessor")
    islands = Succession.objects.filter(
        predecessor__tier=Tier.DISTRICT, successor__tier=Tier.COMMUNE
    ).values("predecessor")
    assert mapped.distinct().count() + islands.distinct().count() == 10040

    def communes(code: str, day: dt.date) -> int:
        province = AdminUnit.objects.in_force_on(day).get(code=code)
        return AdminUnit.objects.filter(province=province, tier=Tier.COMMUNE).count()

    assert communes("22", BEFORE) == 171  # Quảng Ninh
    assert communes("22", AFTER) == 54
    assert communes("31", AFTER) == 114  # Hải Phòng with Hải Dương
    assert communes("01", AFTER) == 126  # Hà Nội


def test_every_legacy_commune_has_exactly_one_default_successor() -> None:
    legacy = AdminUnit.objects.in_force_on(BEFORE).filter(tier=Tier.COMMUNE)
    defaults = Succession.objects.filter(predecessor__in=legacy, is_default=True)
    assert defaults.count() == legacy.count()
    assert defaults.values("predecessor").distinct().count() == legacy.count()


def test_split_communes_list_every_successor() -> None:
    divided = package_data.mapping()["DICT_PROVINCE_WARD_DIVIDED"]
    for province, old_paths in divided.items():
        for old_path, new_wards in old_paths.items():
            old = AdminUnit.objects.get(
                code=package_data.legacy_ward_code(old_path), valid_to=LEGACY_LAST_DAY
            )
            successions = {
                s.successor.code: s
                for s in Succession.objects.filter(predecessor=old).select_related("successor")
            }
            expected = {
                package_data.current_ward_code(province, w["newWardKey"]): w["isDefaultNewWard"]
                for w in new_wards
            }
            assert {code: s.is_default for code, s in successions.items()} == expected
            assert {s.kind for s in successions.values()} == {"split"}


def test_abolished_districts_pass_to_their_new_province() -> None:
    district = AdminUnit.objects.in_force_on(BEFORE).get(code="001")  # Quận Ba Đình
    succession = Succession.objects.get(predecessor=district)
    assert succession.kind == "abolish"
    assert succession.successor.code == "01"
    assert succession.successor.valid_from == REFORM_DATE


def test_a_second_load_changes_nothing() -> None:
    audit_before = AuditEvent.objects.count()
    result = load(read_package())
    assert not result.changed
    assert result.units_unchanged == AdminUnit.objects.count()
    assert AuditEvent.objects.count() == audit_before


def test_load_repairs_a_unit_that_drifted_and_audits_it() -> None:
    unit = AdminUnit.objects.in_force_on(AFTER).get(code="00004")
    AdminUnit.objects.filter(pk=unit.pk).update(name="wrong", search_key="wrong")
    result = load(read_package())
    assert result.units_updated == 1
    unit.refresh_from_db()
    assert unit.name == "Phường Ba Đình"
    assert unit.search_key == "phuong ba dinh 00004"
    event = AuditEvent.objects.filter(verb="units.load").latest("id")
    assert event.after is not None
    assert event.after["units_updated"] == 1


def test_service_centres_one_per_province_and_commune() -> None:
    assert ServiceCenter.objects.filter(kind=ServiceCenterKind.PROVINCIAL).count() == _in_force(
        AFTER, Tier.PROVINCE
    )
    assert ServiceCenter.objects.filter(kind=ServiceCenterKind.COMMUNE).count() == _in_force(
        AFTER, Tier.COMMUNE
    )
    centre = ServiceCenter.objects.get(code="H01.00004")
    assert centre.name == "Trung tâm Phục vụ hành chính công phường Ba Đình"
    assert centre.parent is not None
    assert centre.parent.code == "H01.TT"


def test_units_stats_json_reports_counts() -> None:
    out = io.StringIO()
    call_command("units", "stats", "--json", stdout=out)
    stats = json.loads(out.getvalue())
    assert stats["units"]["2025-07-01.."] == {"commune": 3321, "province": 34}
    assert stats["units"][f"..{LEGACY_LAST_DAY}"]["district"] == 696
    assert sum(stats["successions"].values()) == Succession.objects.count()
    assert stats["predecessors_split"] == sum(
        len(paths) for paths in package_data.mapping()["DICT_PROVINCE_WARD_DIVIDED"].values()
    )
    hanoi = next(
        p for p in stats["provinces"] if p["code"] == "01" and p["period"] == "2025-07-01.."
    )
    assert hanoi["communes"] == 126
