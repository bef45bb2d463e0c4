"""The predecessors' archive: after the 2025 plan, a new unit's officers open, read-only, the
finished dossiers of the units it succeeded; officers of other units still cannot."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client

from haicap.conftest import QUANG_NINH, _officer
from haicap.core.actors import SYSTEM
from haicap.core.errors import NotFound
from haicap.core.models import AuditEvent
from haicap.dossiers.access import actions_for, get_dossier_for, visible_dossiers
from haicap.dossiers.models import Dossier, Status
from haicap.reorg.actions import do_apply_plan
from haicap.reorg.models import ReorgPlan
from haicap.staff.actions import do_create_api_token
from haicap.units.models import AdminUnit, Tier
from haicap.units.source import LEGACY_LAST_DAY

pytestmark = pytest.mark.django_db
Make = Callable[..., Dossier]


def finished_2024(old_dossier: Make, unit: str) -> Dossier:
    return old_dossier(
        unit,
        status=Status.RETURNED,
        NgayTiepNhan="20240305090000",
        NgayHenTra="20240305170000",
        NgayKetThucXuLy="20240305110000",
        NgayTraKetQua="20240306090000",
    )


def old_quang_ninh_commune() -> AdminUnit:
    unit = (
        AdminUnit.objects.filter(
            province__code=QUANG_NINH, tier=Tier.COMMUNE, valid_to=LEGACY_LAST_DAY
        )
        .order_by("code")
        .first()
    )
    assert unit is not None
    return unit


@pytest.fixture
def gina(db: None) -> User:
    return _officer("gina", QUANG_NINH, "province_admin")


def test_the_successor_opens_its_predecessors_finished_work(
    old_dossier: Make, plan: ReorgPlan, alice: User, carol: User, gina: User
) -> None:
    truc_bach = finished_2024(old_dossier, "00004")  # old Phường Trúc Bạch
    quang_ninh = finished_2024(old_dossier, old_quang_ninh_commune().code)
    do_apply_plan(plan, actor=SYSTEM)
    truc_bach.refresh_from_db()
    assert truc_bach.responsible_unit.valid_to == LEGACY_LAST_DAY  # finished work keeps its unit
    # alice: new Phường Ba Đình, which Trúc Bạch became part of.
    opened = get_dossier_for(alice, truc_bach.code)
    assert actions_for(alice, opened) == []  # read-only
    read = AuditEvent.objects.filter(verb="dossier.read", subject_id=truc_bach.code).get()
    assert (read.actor_label, read.after) == ("alice", {"archive": True})
    # gina: Quảng Ninh's province administrator, for an old Quảng Ninh commune.
    assert get_dossier_for(gina, quang_ninh.code).code == quang_ninh.code
    # carol (Hoàn Kiếm) and gina (another province) do not see Trúc Bạch's work.
    with pytest.raises(NotFound):
        get_dossier_for(carol, truc_bach.code)
    with pytest.raises(NotFound):
        get_dossier_for(gina, truc_bach.code)
    with pytest.raises(NotFound):
        get_dossier_for(alice, quang_ninh.code)
    # The work queues hold open work only; the archive is reached by code and search.
    assert not visible_dossiers(alice).filter(pk=truc_bach.pk).exists()


def test_the_archive_in_the_page_and_the_api(
    old_dossier: Make, plan: ReorgPlan, alice: User, carol: User, client: Client
) -> None:
    truc_bach = finished_2024(old_dossier, "00004")
    do_apply_plan(plan, actor=SYSTEM)
    client.force_login(alice)
    page = client.get(f"/staff/dossiers/{truc_bach.code}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Phường Trúc Bạch" in text
    assert "30/06/2025" in text  # the unit that did the work, and when it ended
    _record, token = do_create_api_token("alice", actor=SYSTEM)
    answer = client.get(
        f"/api/v1/dossiers/{truc_bach.code}", headers={"Authorization": f"Bearer {token}"}
    )
    assert answer.status_code == 200
    body = answer.json()
    assert body["archived"] is True
    assert body["allowed_actions"] == []
    assert body["responsible_unit"]["name"] == "Phường Trúc Bạch"
    assert body["responsible_unit"]["valid_to"] == "2025-06-30"
    client.force_login(carol)
    assert client.get(f"/staff/dossiers/{truc_bach.code}/").status_code == 404
