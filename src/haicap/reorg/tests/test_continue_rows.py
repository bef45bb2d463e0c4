"""A unit that continues (a "continue" row: predecessor and successor the same) keeps its
work: the apply finishes, nothing of it moves, nobody is told it moved (walk of issue 10's
engine, finding 1: a plan with a continue row never finished and re-moved the same reports)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User

from haicap.conftest import BA_DINH, HOAN_KIEM
from haicap.core.actors import SYSTEM
from haicap.dossiers.models import Dossier, DossierPlacement, Notice
from haicap.feedback.models import ReportEvent
from haicap.reorg.actions import do_apply_plan, do_preview_plan
from haicap.reorg.models import PlanState
from haicap.reorg.tests.test_bounds import _plan_from_rows
from haicap.reorg.tests.test_feedback_handover import filed_at
from haicap.units.models import AdminUnit

pytestmark = pytest.mark.django_db

ROWS = (
    f"predecessor,successor,kind\n{BA_DINH},{HOAN_KIEM},merge\n{HOAN_KIEM},{HOAN_KIEM},continue\n"
)


def test_a_continuing_unit_keeps_its_work_and_the_apply_finishes(
    make_dossier: Callable[..., Dossier], alice: User, carol: User
) -> None:
    ba_dinh = AdminUnit.objects.get(code=BA_DINH, valid_to__isnull=True)
    hoan_kiem = AdminUnit.objects.get(code=HOAN_KIEM, valid_to__isnull=True)
    moving = make_dossier(alice)
    staying = make_dossier(carol, centre=f"H01.{HOAN_KIEM}")
    report_moving, report_staying = filed_at(ba_dinh.pk), filed_at(hoan_kiem.pk)
    assert hoan_kiem.province_id is not None
    plan = _plan_from_rows(ROWS, within={hoan_kiem.province_id})

    summary = do_preview_plan(plan, actor=SYSTEM)
    rows = {(r["from"]["code"], r["to"]["code"]): r for r in summary["units"]}
    assert rows[(BA_DINH, HOAN_KIEM)]["reports"] == 1
    assert (HOAN_KIEM, HOAN_KIEM) not in rows or not rows[(HOAN_KIEM, HOAN_KIEM)].get("reports")
    assert not DossierPlacement.objects.filter(dossier=staying).exists()
    notices_before = Notice.objects.filter(dossier=staying).count()

    do_apply_plan(plan, actor=SYSTEM)
    plan.refresh_from_db()
    assert plan.state == PlanState.APPLIED
    moving.refresh_from_db()
    staying.refresh_from_db()
    assert moving.responsible_unit_id == hoan_kiem.pk
    assert staying.responsible_unit_id == hoan_kiem.pk
    assert Notice.objects.filter(dossier=staying).count() == notices_before
    assert ReportEvent.objects.filter(report=report_moving, action="handover").count() == 1
    assert not ReportEvent.objects.filter(report=report_staying, action="handover").exists()
    report_staying.refresh_from_db()
    assert report_staying.version == 1
