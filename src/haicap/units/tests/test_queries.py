"""Lookups by code and date, resolve across the reform, and search without diacritics."""

from __future__ import annotations

import datetime as dt

import pytest

from haicap.core.errors import Invalid, NotFound
from haicap.units import queries
from haicap.units.tests import package_data

pytestmark = pytest.mark.django_db


def test_a_reused_code_names_different_units_on_different_days() -> None:
    assert queries.unit_by_code("00004", dt.date(2025, 6, 30)).name == "Phường Trúc Bạch"
    assert queries.unit_by_code("00004", dt.date(2025, 7, 1)).name == "Phường Ba Đình"
    assert queries.unit_by_code("00004").name == "Phường Ba Đình"  # today


def test_unknown_code_is_not_found() -> None:
    with pytest.raises(NotFound):
        queries.unit_by_code("99999")


def test_resolve_a_split_commune_default_first() -> None:
    province, olds = next(iter(package_data.mapping()["DICT_PROVINCE_WARD_DIVIDED"].items()))
    old_path, new_wards = next(iter(olds.items()))
    code = package_data.legacy_ward_code(old_path)
    expected_default = next(
        package_data.current_ward_code(province, w["newWardKey"])
        for w in new_wards
        if w["isDefaultNewWard"]
    )
    resolution = queries.resolve(code, dt.date(2025, 8, 1))
    assert resolution.source.valid_to == dt.date(2025, 6, 30)
    codes = [unit.code for unit, _default in resolution.units]
    assert len(codes) == len(new_wards)
    assert codes[0] == expected_default
    assert [default for _unit, default in resolution.units] == [True] + [False] * (len(codes) - 1)


def test_resolve_a_reused_code_uses_the_old_unit() -> None:
    resolution = queries.resolve("00004", dt.date(2025, 8, 1))
    assert resolution.source.name == "Phường Trúc Bạch"
    assert [unit.name for unit, _ in resolution.units] == ["Phường Ba Đình"]


def test_resolve_a_unit_still_in_force_is_itself() -> None:
    resolution = queries.resolve("00004", dt.date(2025, 6, 1))
    assert [unit.name for unit, _ in resolution.units] == ["Phường Trúc Bạch"]


def test_resolve_a_district_goes_to_its_province() -> None:
    resolution = queries.resolve("001", dt.date(2026, 1, 1))
    assert [(unit.code, unit.tier) for unit, _ in resolution.units] == [("01", "province")]


def test_resolve_before_a_unit_existed_is_invalid() -> None:
    with pytest.raises(Invalid):
        queries.resolve("00004", dt.date(2025, 6, 1), was=dt.date(2025, 8, 1))
    with pytest.raises(Invalid):
        queries.resolve("11948", dt.date(2024, 1, 1))  # Đặc khu Bạch Long Vĩ: a new code


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("hoan kiem", "Phường Hoàn Kiếm"),
        ("Hoàn Kiếm", "Phường Hoàn Kiếm"),
        ("dong da", "Phường Đống Đa"),
        ("đống đa", "Phường Đống Đa"),
        ("HONG HA", "Phường Hồng Hà"),
    ],
)
def test_search_without_diacritics(query: str, expected: str) -> None:
    names = [unit.name for unit in queries.units(query=query)[:10]]
    assert expected in names


def test_search_finds_the_legacy_district_on_an_old_date() -> None:
    names = [unit.name for unit in queries.units(query="hoan kiem", on=dt.date(2025, 6, 1))]
    assert names[0] == "Quận Hoàn Kiếm"  # districts before communes
    assert "Phường Hoàn Kiếm" not in names  # not yet in force


def test_province_filter_lists_its_units() -> None:
    assert queries.units(province="22").count() == 54
    assert queries.units(province="22", on=dt.date(2025, 6, 1), tier="district").count() == 13


def test_province_filter_refuses_a_commune() -> None:
    with pytest.raises(Invalid):
        queries.units(province="00004")
