"""Where reports go: an old address, a new one, coordinates, an abolished unit."""

from __future__ import annotations

import pytest

from haicap.core.errors import Invalid
from haicap.feedback import routing
from haicap.feedback.models import Located
from haicap.units.models import AdminUnit, Succession
from haicap.units.source import REFORM_DATE

pytestmark = pytest.mark.django_db


def test_an_old_address_reaches_the_new_ward() -> None:
    place = routing.from_address("Phường Trúc Bạch, Quận Ba Đình, Hà Nội")
    assert (place.unit.code, place.unit.name) == ("00004", "Phường Ba Đình")
    assert place.located == Located.ADDRESS_OLD
    assert place.province.code == "01"


def test_an_old_address_with_a_street_does_not_go_to_the_network() -> None:
    place = routing.from_address("5 Hàng Bông, Phường Hàng Trống, Quận Hoàn Kiếm, Hà Nội")
    assert place.unit.code == "00070"


def test_a_new_address() -> None:
    place = routing.from_address("Phường Hoàn Kiếm, Thành phố Hà Nội")
    assert place.unit.code == "00070"
    assert place.located == Located.ADDRESS_NEW


def test_an_address_not_recognised_is_refused() -> None:
    with pytest.raises(Invalid) as caught:
        routing.from_address("ở đâu đó")
    assert caught.value.field == "address_string"


def test_coordinates_give_the_nearest_commune_as_a_suggestion() -> None:
    ba_dinh = AdminUnit.objects.in_force_on(REFORM_DATE).get(code="00004", tier="commune")
    assert ba_dinh.latitude is not None
    assert ba_dinh.longitude is not None
    place = routing.from_coordinates(ba_dinh.latitude + 0.001, ba_dinh.longitude - 0.001)
    assert place.unit.pk == ba_dinh.pk
    assert place.located == Located.COORDINATES
    assert not place.confirmed


def test_coordinates_outside_viet_nam_are_refused() -> None:
    with pytest.raises(Invalid):
        routing.from_coordinates(48.85, 2.35)


def test_an_abolished_unit_goes_to_its_default_successor_and_is_kept() -> None:
    succession = (
        Succession.objects.filter(successor__code="00004", is_default=True)
        .select_related("predecessor")
        .first()
    )
    assert succession is not None
    place = routing.from_registry(succession.predecessor_id)
    assert place.unit.code == "00004"
    assert place.located == Located.SUCCESSOR
    assert place.named_unit == succession.predecessor
