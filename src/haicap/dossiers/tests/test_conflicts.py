"""Two officers acting on one dossier at once: one wins, the other gets 409, nothing half-done."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection

from haicap.conftest import APPLICANT, MARITAL
from haicap.core.actors import SYSTEM
from haicap.core.errors import Conflict
from haicap.dossiers import actions
from haicap.dossiers.models import Dossier, DossierEvent
from haicap.procedures.models import Procedure
from haicap.staff.actions import do_add_staff_member
from haicap.units.models import ServiceCenter


def test_a_stale_version_is_refused(alice: Any, bob: Any, make_dossier: Any) -> None:
    dossier = make_dossier(alice)
    seen = dossier.version
    actions.do_assign_dossier(dossier, assignee=alice, actor=bob, version=seen)
    with pytest.raises(Conflict) as refused:
        actions.do_assign_dossier(dossier, assignee=bob, actor=bob, version=seen)
    assert refused.value.code == "stale_version"
    dossier.refresh_from_db()
    assert dossier.assignee_id == alice.pk
    assert dossier.events.count() == 2


def test_an_action_from_the_wrong_status_is_a_conflict(alice: Any, make_dossier: Any) -> None:
    dossier = make_dossier(alice)
    with pytest.raises(Conflict) as refused:
        actions.do_return_result(dossier, actor=alice)
    assert refused.value.code == "not_allowed_now"


@pytest.mark.django_db(transaction=True)
def test_two_officers_at_once_cannot_both_win() -> None:
    leader = do_add_staff_member(
        "leader1", unit_code="00004", roles=["leader"], actor=SYSTEM, password="pw-for-tests-1"
    ).user
    other = do_add_staff_member(
        "leader2", unit_code="00004", roles=["leader"], actor=SYSTEM, password="pw-for-tests-1"
    ).user
    dossier, _ = actions.do_intake_dossier(
        procedure=Procedure.objects.get(code=MARITAL),
        centre=ServiceCenter.objects.select_related("unit").get(code="H01.00004"),
        applicant=APPLICANT,
        actor=SYSTEM,
    )
    actions.do_assign_dossier(dossier, assignee=leader, actor=SYSTEM)
    dossier.refresh_from_db()
    version = dossier.version
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def act(officer: Any, approve: bool) -> None:
        try:
            barrier.wait()
            if approve:
                actions.do_approve_dossier(dossier, actor=officer, version=version)
            else:
                actions.do_reject_dossier(
                    dossier, reason="Không đủ điều kiện", actor=officer, version=version
                )
            outcomes.append("won")
        except Conflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=act, args=(leader, True)),
        threading.Thread(target=act, args=(other, False)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict", "won"]
    dossier = Dossier.objects.get(pk=dossier.pk)
    assert dossier.version == version + 1
    assert DossierEvent.objects.filter(dossier=dossier).count() == version + 1
    assert dossier.outcome in {"approved", "rejected"}
