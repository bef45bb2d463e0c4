"""The seeded catalogue: docs/domain.md#commune-procedures, province ones, fees and steps."""

from __future__ import annotations

import datetime as dt

import pytest

from haicap.core.calendar import ZONE
from haicap.procedures.catalogue import CATALOGUE, seed_catalogue
from haicap.procedures.models import CompetentTier, Procedure
from haicap.procedures.rules import due_at, fee_for

pytestmark = pytest.mark.django_db


def test_the_catalogue_has_the_commune_and_province_procedures() -> None:
    assert Procedure.objects.filter(competent_tier=CompetentTier.COMMUNE).count() >= 10
    assert Procedure.objects.filter(competent_tier=CompetentTier.PROVINCE).count() >= 5
    names = set(Procedure.objects.values_list("name", flat=True))
    for expected in (
        "Đăng ký khai sinh",
        "Đăng ký kết hôn",
        "Đăng ký khai tử",
        "Cấp Giấy xác nhận tình trạng hôn nhân",
        "Chứng thực bản sao từ bản chính giấy tờ, văn bản",
        "Chứng thực chữ ký trong các giấy tờ, văn bản",
        "Đăng ký khai sinh kết hợp đăng ký nhận cha, mẹ, con",
        "Đăng ký lại khai tử",
        "Đăng ký tạm trú",
        "Đăng ký thường trú",
    ):
        assert expected in names


def test_every_process_template_shares_the_whole_legal_time() -> None:
    for procedure in Procedure.objects.prefetch_related("steps"):
        shares = [step.share_percent for step in procedure.steps.all()]
        assert sum(shares) == 100, procedure.code


def test_seeding_again_adds_nothing_and_keeps_edits() -> None:
    Procedure.objects.filter(code="HCP.CT.002").update(fee_amount=12000)
    assert seed_catalogue() == 0
    assert Procedure.objects.get(code="HCP.CT.002").fee_amount == 12000
    assert Procedure.objects.count() == len(CATALOGUE)


@pytest.mark.parametrize(
    ("pages", "copies", "fee"),
    [(1, 1, 2000), (2, 1, 4000), (3, 1, 5000), (10, 2, 2 * 12000), (500, 1, 200000)],
)
def test_certified_copy_fee(pages: int, copies: int, fee: int) -> None:
    procedure = Procedure.objects.get(code="HCP.CT.001")
    assert fee_for(procedure, channel=1, pages=pages, copies=copies) == fee


def test_fees_by_channel_and_free() -> None:
    permanent = Procedure.objects.get(code="HCP.CTR.002")
    assert fee_for(permanent, channel=1) == 20000
    assert fee_for(permanent, channel=2) == 10000
    assert fee_for(Procedure.objects.get(code="1.001193.000.00.00.H01"), channel=1) == 0


def test_same_day_procedures_follow_the_15_00_rule() -> None:
    birth = Procedure.objects.get(code="1.001193.000.00.00.H01")
    morning = dt.datetime(2026, 3, 3, 10, tzinfo=ZONE)
    late = dt.datetime(2026, 3, 3, 15, 30, tzinfo=ZONE)
    assert due_at(birth, morning) == dt.datetime(2026, 3, 3, 17, tzinfo=ZONE)
    assert due_at(birth, late) == dt.datetime(2026, 3, 4, 17, tzinfo=ZONE)
