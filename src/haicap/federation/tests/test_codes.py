"""Which dossier codes a province may push: its own centres', under either form."""

from __future__ import annotations

import pytest

from haicap.federation.models import HubProvince
from haicap.federation.protocol import ErrorCode, ProtocolError
from haicap.federation.services import _owned_code, province_codes
from haicap.units.models import AdminUnit
from haicap.units.queries import today

pytestmark = pytest.mark.django_db


def _province(code: str) -> HubProvince:
    unit = AdminUnit.objects.in_force_on(today()).get(code=code)
    return HubProvince(province=unit, dstcode=unit.agency_code, username=code)


def test_a_province_pushes_codes_of_its_own_centres_in_either_form() -> None:
    own = province_codes(_province("01"))
    for code in ("H01.00004-261201-0001", "01.00004-261201-0001", "H01.TT-261201-0002"):
        _owned_code(code, own, 0)


def test_codes_of_a_province_merged_into_it_in_2025_pass_and_another_provinces_do_not() -> None:
    """Tuyên Quang (08) took in Hà Giang (02); Cao Bằng (04) is another province."""
    own = province_codes(_province("08"))
    _owned_code("H02.00688-250630-0001", own, 0)
    with pytest.raises(ProtocolError) as refused:
        _owned_code("H04.01234-261201-0001", own, 3)
    assert (refused.value.code, refused.value.field) == (ErrorCode.OTHER_PROVINCE, "MaHoSo")


def test_once_a_province_loads_its_official_code_its_first_group_is_its_own() -> None:
    AdminUnit.objects.in_force_on(today()).filter(code="01").update(agency_code="H0A")
    own = province_codes(_province("01"))
    _owned_code("H0A.50.01-261201-0001", own, 0)
    _owned_code("H01.00004-261201-0001", own, 0)  # codes issued before keep passing
    with pytest.raises(ProtocolError):
        _owned_code("H0B.50.01-261201-0001", own, 0)
