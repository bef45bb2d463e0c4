"""Deleting a plan before it is applied (confirmed, audited, placements gone), and the
preview's totals reconciling with its rows and with the dossiers themselves."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from haicap.conftest import QUANG_NINH, _officer
from haicap.core.actors import SYSTEM
from haicap.core.errors import Conflict
from haicap.core.models import AuditEvent
from haicap.dossiers.models import FINAL_STATUSES, OPEN_STATUSES, Dossier, DossierPlacement
from haicap.reorg.actions import do_delete_plan, do_preview_plan
from haicap.reorg.engine import summarise
from haicap.reorg.models import PlanState, ReorgPlan

pytestmark = pytest.mark.django_db
Make = Callable[..., Dossier]


@pytest.fixture
def root(db: Any) -> User:
    return User.objects.create_superuser("root", password="pw-for-tests-1")


def test_deleting_asks_first_then_deletes_with_its_placements(
    client: Client, plan: ReorgPlan, old_dossier: Make, root: User
) -> None:
    old_dossier("00004")
    do_preview_plan(plan, actor=SYSTEM)
    assert DossierPlacement.objects.filter(plan_id=plan.pk).exists()
    client.force_login(root)
    asked = client.get(f"/staff/reorg/{plan.pk}/delete/")
    assert asked.status_code == 200
    assert 'name="confirmed" value="yes"' in asked.content.decode()
    client.post(f"/staff/reorg/{plan.pk}/delete/")  # no confirmation: nothing happens
    assert ReorgPlan.objects.filter(pk=plan.pk).exists()
    done = client.post(f"/staff/reorg/{plan.pk}/delete/", {"confirmed": "yes"}, follow=True)
    assert done.status_code == 200
    assert not ReorgPlan.objects.filter(pk=plan.pk).exists()
    assert not DossierPlacement.objects.filter(plan_id=plan.pk).exists()
    row = AuditEvent.objects.get(verb="reorg.delete", subject_id=str(plan.pk))
    assert row.actor_id == root.pk
    assert row.after is not None
    assert row.after["name"] == plan.name


def test_an_applied_plan_is_not_deleted(plan: ReorgPlan) -> None:
    plan.state = PlanState.APPLIED
    plan.save(update_fields=["state"])
    with pytest.raises(Conflict):
        do_delete_plan(plan, actor=SYSTEM)
    assert ReorgPlan.objects.filter(pk=plan.pk).exists()


def test_a_province_admin_may_not_delete_the_national_plan(
    client: Client, plan: ReorgPlan, dave: User, alice: User
) -> None:
    client.force_login(dave)
    page = client.get(f"/staff/reorg/{plan.pk}/delete/")
    assert page.context["deletable"] is False
    client.post(f"/staff/reorg/{plan.pk}/delete/", {"confirmed": "yes"})
    assert ReorgPlan.objects.filter(pk=plan.pk).exists()
    client.force_login(alice)
    assert client.get(f"/staff/reorg/{plan.pk}/delete/").status_code == 404
    gina = _officer("gina", QUANG_NINH, "province_admin")
    client.force_login(gina)
    client.post(f"/staff/reorg/{plan.pk}/delete/", {"confirmed": "yes"})
    assert ReorgPlan.objects.filter(pk=plan.pk).exists()


def test_the_preview_totals_reconcile(plan: ReorgPlan, old_dossier: Make) -> None:
    for unit in ("00004", "00004", "00091", "00007"):
        old_dossier(unit)
    old_dossier("00004", status=9)  # processed: a result not yet returned
    old_dossier("00004", status=10)  # returned: finished, stays with the old unit
    do_preview_plan(plan, actor=SYSTEM)
    summary = summarise(plan)
    totals = summary["totals"]
    for key, total in (("dossiers", "pending_dossiers"), ("results", "results_not_returned")):
        assert totals[total] == sum(row[key] for row in summary["units"])
    open_at_old_units = Dossier.objects.filter(
        status__in=OPEN_STATUSES, responsible_unit__valid_to__isnull=False
    )
    placed = DossierPlacement.objects.filter(plan_id=plan.pk)
    assert placed.count() == open_at_old_units.count()
    assert (
        totals["pending_dossiers"] + totals["results_not_returned"] + totals["cannot_be_placed"]
        == open_at_old_units.count()
    )
    assert totals["results_not_returned"] == open_at_old_units.filter(status=9).count()
    assert not placed.filter(dossier__status__in=FINAL_STATUSES).exists()
