"""Connection points through the 2025 merger in Hải Phòng: the preview counts them; applying
re-maps one point per new commune (its own, or a predecessor's) and retires the others, turns
Hải Dương's provincial hub into another hub of the new Hải Phòng, and a meeting already open
keeps its invited points and tokens."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from haicap.core.actors import SYSTEM
from haicap.meetings import actions
from haicap.meetings.models import ConnectionPoint, Invitation, PointKind
from haicap.meetings.points import create_points
from haicap.reorg.actions import do_apply_plan, do_preview_plan
from haicap.reorg.models import ReorgPlan
from haicap.units.models import AdminUnit, Succession, Tier
from haicap.units.source import REFORM_DATE

pytestmark = pytest.mark.django_db


def test_points_of_merged_communes_are_remapped_and_retired(
    plan: ReorgPlan, national_admin: User
) -> None:
    create_points()  # the new units' points (an earlier transactional test may have emptied them)
    create_points(
        REFORM_DATE - dt.timedelta(days=30)
    )  # the legacy units' points, before the reform
    hai_phong = AdminUnit.objects.in_force_on(timezone.localdate()).get(
        code="31", tier=Tier.PROVINCE
    )
    hai_duong = Succession.objects.get(
        successor=hai_phong, predecessor__tier=Tier.PROVINCE, predecessor__code="30"
    ).predecessor
    old_hub = ConnectionPoint.objects.get(unit=hai_duong, is_active=True)

    # Two new communes: one made its own point already, the other has none yet.
    merged = (
        Succession.objects.filter(
            successor__province=hai_phong, successor__tier=Tier.COMMUNE, is_default=True
        )
        .exclude(
            predecessor__code__in=AdminUnit.objects.in_force_on(timezone.localdate()).values("code")
        )
        .values_list("successor_id", flat=True)
    )
    with_own, without = AdminUnit.objects.filter(pk__in=merged).order_by("code")[:2]
    ConnectionPoint.objects.filter(unit=without).delete()
    own_point = ConnectionPoint.objects.get(unit=with_own, is_active=True)

    def old_of(unit: AdminUnit) -> list[ConnectionPoint]:
        return list(
            ConnectionPoint.objects.filter(
                unit__successions_out__successor=unit,
                unit__successions_out__is_default=True,
                is_active=True,
            ).order_by("pk")
        )

    olds_with_own, olds_without = old_of(with_own), old_of(without)
    assert olds_with_own
    assert len(olds_without) >= 1

    # A meeting running in the new Hải Phòng with one of the old points invited.
    host = ConnectionPoint.objects.get(
        unit=hai_phong, kind=PointKind.PROVINCIAL_HUB, is_active=True
    )
    meeting, _ = actions.do_create_meeting(
        actions.MeetingSpec(
            kind="conference",
            title="Hội nghị trực tuyến 116 điểm cầu",
            host=host.pk,
            starts_at=timezone.now() + dt.timedelta(hours=1),
            ends_at=timezone.now() + dt.timedelta(hours=3),
            invite="list",
            points=[olds_with_own[0].pk, own_point.pk],
        ),
        actor=national_admin,
    )
    token = Invitation.objects.get(meeting=meeting, point=olds_with_own[0]).token

    summary = do_preview_plan(plan, actor=SYSTEM, province_id=hai_phong.pk)
    rows = {row["from"]["code"]: row for row in summary["units"]}
    first_old = olds_without[0]
    assert rows[first_old.unit.code]["points_kept"] == 1
    assert rows[olds_with_own[0].unit.code]["points_retired"] == 1
    assert rows[hai_duong.code]["points_kept"] == 1  # the hub stays, as a hub

    do_apply_plan(plan, actor=SYSTEM, province_id=hai_phong.pk)

    kept = ConnectionPoint.objects.get(pk=first_old.pk)
    assert kept.is_active
    assert kept.unit_id == without.pk
    assert kept.province_id == hai_phong.pk
    for point in olds_without[1:]:
        point.refresh_from_db()
        assert not point.is_active
        assert point.successor_id == kept.pk
        assert point.retired_on == REFORM_DATE - dt.timedelta(days=1)
    for point in olds_with_own:
        point.refresh_from_db()
        assert not point.is_active
        assert point.successor_id == own_point.pk
    old_hub.refresh_from_db()
    assert old_hub.is_active
    assert old_hub.kind == PointKind.HUB
    assert old_hub.unit_id == hai_phong.pk
    assert (
        ConnectionPoint.objects.filter(
            unit=hai_phong, kind=PointKind.PROVINCIAL_HUB, is_active=True
        ).count()
        == 1
    )
    # The running meeting keeps its points and tokens.
    assert Invitation.objects.get(meeting=meeting, point=olds_with_own[0]).token == token
    assert meeting.invitations.count() == 3
    # Applying again moves nothing more.
    again = do_preview_plan(plan, actor=SYSTEM, province_id=hai_phong.pk)
    assert (
        sum(row.get("points_kept", 0) + row.get("points_retired", 0) for row in again["units"]) == 0
    )
