"""Citizen reports through the 2025 merger: the preview counts the open reports of each old
commune, apply moves them to the successor with a step in their history, and answered ones
stay with the unit that answered them."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from haicap.core.actors import SYSTEM
from haicap.core.calendar import ZONE
from haicap.core.models import AuditEvent
from haicap.feedback import categories, routing
from haicap.feedback.actions import Intake, do_answer_report, do_file_report
from haicap.feedback.models import Channel, Report
from haicap.reorg.actions import do_apply_plan, do_preview_plan
from haicap.reorg.models import ReorgPlan
from haicap.reorg.tests.test_documents_handover import merged_pair

pytestmark = pytest.mark.django_db


def filed_at(unit_id: int) -> Report:
    place = routing.from_registry(unit_id)
    report, _created = do_file_report(
        Intake(
            channel=Channel.DESK,
            category=categories.category("moi-truong", place.province),
            place=place,
            description="Cống thoát nước bị tắc",
        ),
        actor=SYSTEM,
    )
    return report


def test_open_reports_follow_the_merger(plan: ReorgPlan) -> None:
    old_unit, new_unit = merged_pair()
    with time_machine.travel(dt.datetime(2025, 6, 20, 9, 0, tzinfo=ZONE), tick=False):
        pending = filed_at(old_unit.pk)
        done = do_answer_report(filed_at(old_unit.pk), answer="Đã thông cống", actor=SYSTEM)
    assert pending.unit_id == old_unit.pk

    summary = do_preview_plan(plan, actor=SYSTEM)
    row = next(r for r in summary["units"] if r["from"]["code"] == old_unit.code)
    assert row["to"]["code"] == new_unit.code
    assert row["reports"] == 1

    do_apply_plan(plan, actor=SYSTEM)
    pending.refresh_from_db()
    done.refresh_from_db()
    assert pending.unit_id == new_unit.pk
    assert done.unit_id == old_unit.pk
    step = pending.events.get(action="handover")
    assert (step.from_unit_id, step.to_unit_id) == (old_unit.pk, new_unit.pk)
    assert step.data["plan"] == plan.pk
    assert AuditEvent.objects.filter(verb="feedback.reorganise").exists()
