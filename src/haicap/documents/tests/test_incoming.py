"""Incoming documents: duplicates warned, routing deadlines in working days across Tết,
overdue flags and reminders, urgency first."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import User

from haicap.core.calendar import ZONE
from haicap.core.errors import Invalid
from haicap.documents import actions
from haicap.documents.models import Agency, Document, DocumentEvent, Urgency
from haicap.documents.notifications import remind_due

pytestmark = pytest.mark.django_db


def paper(
    agency: Agency, bob: User, *, number: int = 12, urgency: int = Urgency.NORMAL
) -> tuple[Document, list[str]]:
    return actions.do_register_incoming(
        agency,
        actions.Received(
            type_code="CV",
            subject="Về việc báo cáo tình hình sắp xếp đơn vị hành chính",
            sender_name="Sở Nội vụ thành phố Hà Nội",
            sender_code="H01.SNV",
            number=number,
            notation="SNV-CCVC",
            issued_on=dt.date(2026, 10, 20),
            urgency=urgency,
        ),
        actor=bob,
    )


def test_the_same_issuer_number_notation_and_date_warns(bob: User, ba_dinh: Agency) -> None:
    first, warnings = paper(ba_dinh, bob)
    assert warnings == []
    assert first.arrival_number == 1
    second, warnings = paper(ba_dinh, bob)
    assert second.arrival_number == 2
    assert len(warnings) == 1
    assert "1" in warnings[0]
    _other, warnings = paper(ba_dinh, bob, number=13)
    assert warnings == []


def test_a_future_date_and_year_9999_are_refused(bob: User, ba_dinh: Agency) -> None:
    with pytest.raises(Invalid):
        actions.do_register_incoming(
            ba_dinh,
            actions.Received(
                type_code="CV",
                subject="x",
                sender_name="y",
                number=1,
                notation="A",
                issued_on=dt.date(9999, 1, 1),
            ),
            actor=bob,
        )
    assert not Document.objects.exists()


def test_routing_deadline_counts_working_days_across_tet(
    alice: User, bob: User, ba_dinh: Agency
) -> None:
    # Tết 2027: the holidays run from Thursday 4 to Wednesday 10 February (the package's list).
    with time_machine.travel(dt.datetime(2027, 2, 3, 9, 0, tzinfo=ZONE), tick=False):
        document, _warnings = paper(ba_dinh, bob)
        routed = actions.do_route(document, actor=bob, lead="alice", days=3)
    assert routed.due_at is not None
    due = routed.due_at.astimezone(ZONE)
    from haicap.core.calendar import calendar

    cal = calendar()
    working = [
        dt.date(2027, 2, 3) + dt.timedelta(days=n)
        for n in range(1, 20)
        if cal.is_working_day(dt.date(2027, 2, 3) + dt.timedelta(days=n))
    ]
    assert due.date() == working[2]
    assert due.date() > dt.date(2027, 2, 10)  # nothing counted during Tết
    assert routed.lead_id == alice.pk


def test_routing_needs_a_lead_and_bounded_days(bob: User, ba_dinh: Agency) -> None:
    document, _warnings = paper(ba_dinh, bob)
    with pytest.raises(Invalid):
        actions.do_route(document, actor=bob, days=3)
    with pytest.raises(Invalid):
        actions.do_route(document, actor=bob, lead="bob", days=9999)
    with pytest.raises(Invalid):
        actions.do_route(document, actor=bob, lead="erin-nobody", days=2)


def test_overdue_documents_are_flagged_and_reminded(
    alice: User, bob: User, ba_dinh: Agency, mailoutbox: list[object]
) -> None:
    alice.email = "alice@example.vn"
    alice.save()
    with time_machine.travel(dt.datetime(2026, 11, 2, 9, 0, tzinfo=ZONE), tick=False):
        document, _warnings = paper(ba_dinh, bob)
        actions.do_route(document, actor=bob, lead="alice", days=1)
    document.refresh_from_db()
    assert document.is_overdue()
    assert remind_due() == 1
    assert len(mailoutbox) == 1
    assert DocumentEvent.objects.filter(document=document, action="remind").exists()
    assert remind_due() == 0  # not again within the day


def test_the_lead_completes_and_the_queue_puts_flash_first(
    alice: User, bob: User, ba_dinh: Agency
) -> None:
    normal, _w = paper(ba_dinh, bob, number=1)
    flash, _w = paper(ba_dinh, bob, number=2, urgency=Urgency.FLASH)
    ordered = list(Document.objects.filter(agency=ba_dinh).order_by("-urgency", "-created_at"))
    assert ordered[0].pk == flash.pk
    actions.do_route(normal, actor=bob, lead="alice", days=2)
    done = actions.do_complete(normal, actor=alice, note="Đã báo cáo")
    assert done.status == "completed"
