"""Documents through the 2025 merger: the preview counts them, apply moves open incoming
documents with a trace, closes the old registers and opens the new ones, and a document
sent later to the abolished agency is forwarded to its successor, the sender told."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from haicap.core.actors import SYSTEM
from haicap.core.calendar import ZONE
from haicap.documents import actions
from haicap.documents.agencies import ensure_agency
from haicap.documents.models import Agency, AgencyKind, Delivery, Direction, Document, Register
from haicap.reorg.actions import do_apply_plan, do_preview_plan
from haicap.reorg.models import ReorgPlan
from haicap.units.models import AdminUnit, Succession
from haicap.units.source import REFORM_DATE

pytestmark = pytest.mark.django_db


def merged_pair() -> tuple[AdminUnit, AdminUnit]:
    """A legacy Hà Nội commune merged into new Phường Ba Đình, its code not reused."""
    today = timezone.localdate()
    for succession in Succession.objects.filter(
        successor__code="00004", successor__valid_from=REFORM_DATE, is_default=True
    ).select_related("predecessor", "successor"):
        old = succession.predecessor
        if not AdminUnit.objects.in_force_on(today).filter(code=old.code).exists():
            return old, succession.successor
    pytest.fail("no legacy commune of new Ba Đình with a code of its own")


def committee(unit: AdminUnit) -> Agency:
    return ensure_agency(unit, AgencyKind.PEOPLES_COMMITTEE)


def test_a_merger_moves_documents_closes_and_opens_registers_and_forwards(
    plan: ReorgPlan,
) -> None:
    old_unit, new_unit = merged_pair()
    old, new = committee(old_unit), committee(new_unit)
    with time_machine.travel(dt.datetime(2025, 6, 20, 9, 0, tzinfo=ZONE), tick=False):
        pending, _w = actions.do_register_incoming(
            old,
            actions.Received(
                type_code="CV",
                subject="Đề nghị cấp kinh phí sửa chữa trường học",
                sender_name="Trường tiểu học",
                number=3,
                notation="THPX",
                issued_on=dt.date(2025, 6, 18),
            ),
            actor=SYSTEM,
        )
        outgoing = actions.do_create_draft(
            old, actions.Draft(type_code="TB", subject="Thông báo bàn giao"), actor=SYSTEM
        )
        actions.do_approve(outgoing, actor=SYSTEM)
        actions.do_issue(outgoing, actor=SYSTEM)

    summary = do_preview_plan(plan, actor=SYSTEM)
    row = next(r for r in summary["units"] if r["from"]["code"] == old_unit.code)
    assert row["to"]["code"] == new_unit.code
    assert (row["documents"], row["registers"]) == (1, 2)

    do_apply_plan(plan, actor=SYSTEM)
    pending.refresh_from_db()
    assert pending.agency_id == new.pk
    move = pending.events.get(action="move")
    assert move.data["from"] == old.code
    assert move.data["to"] == new.code
    closed = Register.objects.get(agency=old, direction=Direction.OUT, year=2025)
    assert closed.closed_on == REFORM_DATE - dt.timedelta(days=1)
    assert closed.last_number == 1
    opened = Register.objects.get(agency=new, direction=Direction.OUT, year=2025)
    assert opened.opened_on == REFORM_DATE
    assert opened.closed_on is None
    old.refresh_from_db()
    assert old.successor_id == new.pk

    # Later, Hoàn Kiếm sends a document to the abolished committee: it reaches Ba Đình.
    sender = committee(AdminUnit.objects.in_force_on(timezone.localdate()).get(code="00070"))
    late = actions.do_create_draft(
        sender,
        actions.Draft(
            type_code="CV", subject="Mời họp giao ban", recipients=[actions.Recipient(old.code)]
        ),
        actor=SYSTEM,
    )
    actions.do_approve(late, actor=SYSTEM)
    actions.do_issue(late, actor=SYSTEM)
    actions.do_send(late, actor=SYSTEM)
    delivery = Delivery.objects.get(document=late)
    assert delivery.recipient_id == old.pk
    assert delivery.forwarded_to_id == new.pk
    assert Document.objects.filter(agency=new, origin=late).exists()
    assert late.events.filter(action="forwarded").exists()
