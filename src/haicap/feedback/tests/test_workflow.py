"""A report's way: deadlines across Tết, transfers and the bounce to the province,
escalation, waiting for the citizen, answer, reopening within 7 days, merging duplicates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
import time_machine
from django.contrib.auth.models import User
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from haicap.core.actors import SYSTEM
from haicap.core.calendar import ZONE, calendar
from haicap.core.errors import Conflict, NotFound
from haicap.core.models import AuditEvent
from haicap.feedback import actions
from haicap.feedback.models import Report, Status
from haicap.units.queries import unit_by_code

pytestmark = pytest.mark.django_db
BEFORE_TET = dt.datetime(2026, 2, 12, 9, 0, tzinfo=ZONE)  # Thursday before Tết Bính Ngọ


def test_the_deadline_counts_working_days_across_tet(file_report: Callable[..., Report]) -> None:
    with time_machine.travel(BEFORE_TET, tick=False):
        report = file_report()
    cal = calendar()
    assert report.due_at == cal.due_in_working_days(BEFORE_TET, 15)
    # Fifteen working days, but more than three weeks of calendar: Tết is not counted.
    assert (report.due_at.date() - BEFORE_TET.date()).days > 21
    for day in (dt.date(2026, 2, 16), dt.date(2026, 2, 17), dt.date(2026, 2, 18)):
        assert not cal.is_working_day(day)


def test_waiting_for_the_citizen_moves_the_deadline(
    file_report: Callable[..., Report], alice: User
) -> None:
    start = dt.datetime(2026, 3, 2, 8, 0, tzinfo=ZONE)
    with time_machine.travel(start, tick=False):
        report = file_report()
        due = report.due_at
        report = actions.do_start_report(report, actor=alice)
        report = actions.do_wait_for_citizen(report, question="Xin số nhà cụ thể", actor=alice)
    with time_machine.travel(start + dt.timedelta(days=2), tick=False):
        report = actions.do_resume_report(report, reply="Số 12", actor=alice)
    assert report.due_at > due
    assert report.waited_seconds == calendar().working_seconds(start, start + dt.timedelta(days=2))
    assert report.status == Status.IN_PROGRESS


def test_two_transfers_then_the_province(file_report: Callable[..., Report], dave: User) -> None:
    report = file_report()
    hoan_kiem = unit_by_code("00070")
    ba_dinh = unit_by_code("00004")
    report = actions.do_transfer_report(report, to=hoan_kiem, reason="Địa bàn", actor=dave)
    report = actions.do_transfer_report(report, to=ba_dinh, reason="Trả lại", actor=dave)
    assert (report.unit_id, report.transfers, report.escalated) == (ba_dinh.pk, 2, False)
    report = actions.do_transfer_report(report, to=hoan_kiem, reason="Lần nữa", actor=dave)
    assert report.unit_id == report.province_id
    assert report.escalated
    assert report.events.filter(action="escalate").exists()


def test_a_commune_officer_cannot_transfer_another_communes_report(
    file_report: Callable[..., Report], carol: User
) -> None:
    with pytest.raises(NotFound):
        actions.do_transfer_report(file_report(), to=unit_by_code("00070"), reason="x", actor=carol)


def test_escalate_answer_reopen_and_rate(file_report: Callable[..., Report], alice: User) -> None:
    report = file_report()
    report = actions.do_escalate_report(report, reason="Vượt thẩm quyền", actor=alice)
    assert report.unit_id == report.province_id
    with pytest.raises(Conflict):
        actions.do_escalate_report(report, reason="again", actor=SYSTEM)
    answered_at = dt.datetime(2026, 3, 10, 10, 0, tzinfo=ZONE)
    with time_machine.travel(answered_at, tick=False):
        report = actions.do_answer_report(report, answer="Đã xử lý", actor=SYSTEM)
    assert report.status == Status.ANSWERED
    with time_machine.travel(answered_at + dt.timedelta(days=6), tick=False):
        with pytest.raises(NotFound):
            actions.do_reopen_report(report, secret="WRONG", reason="chưa", actor=SYSTEM)
        report = actions.do_reopen_report(
            report, secret=report.secret, reason="Vẫn còn rác", actor=SYSTEM
        )
    assert (report.status, report.reopened) == (Status.IN_PROGRESS, 1)
    with time_machine.travel(answered_at + dt.timedelta(days=7), tick=False):
        report = actions.do_answer_report(report, answer="Đã dọn", actor=SYSTEM)
    with time_machine.travel(answered_at + dt.timedelta(days=15), tick=False):
        with pytest.raises(Conflict):
            actions.do_reopen_report(report, secret=report.secret, reason="lại", actor=SYSTEM)
        report = actions.do_rate_report(
            report, secret=report.secret, rating="satisfied", actor=SYSTEM
        )
    assert report.rating == "satisfied"
    verbs = set(AuditEvent.objects.filter(subject_id=report.code).values_list("verb", flat=True))
    assert {"feedback.file", "feedback.escalate", "feedback.answer", "feedback.reopen"} <= verbs


def test_duplicates_merge_into_one(file_report: Callable[..., Report], alice: User) -> None:
    first, second = file_report(), file_report()
    merged = actions.do_merge_reports(second, into=first, actor=alice)
    assert merged.status == Status.MERGED
    assert merged.duplicate_of_id == first.pk
    with pytest.raises(Conflict):
        actions.do_merge_reports(first, into=merged, actor=alice)


def test_an_auditor_cannot_answer(file_report: Callable[..., Report], frank: User) -> None:
    with pytest.raises(NotFound):
        actions.do_answer_report(file_report(), answer="x", actor=frank)


STEPS = ["assign", "start", "wait", "resume", "answer", "close", "escalate"]


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.sampled_from(STEPS), max_size=8))
def test_any_sequence_of_steps_keeps_the_report_consistent(
    file_report: Callable[..., Report], steps: list[str]
) -> None:
    report = file_report()
    for name in steps:
        try:
            if name == "assign":
                report = actions.do_assign_report(report, actor=SYSTEM)
            elif name == "start":
                report = actions.do_start_report(report, actor=SYSTEM)
            elif name == "wait":
                report = actions.do_wait_for_citizen(report, question="?", actor=SYSTEM)
            elif name == "resume":
                report = actions.do_resume_report(report, reply="!", actor=SYSTEM)
            elif name == "answer":
                report = actions.do_answer_report(report, answer="ok", actor=SYSTEM)
            elif name == "close":
                report = actions.do_close_report(report, actor=SYSTEM)
            else:
                report = actions.do_escalate_report(report, reason="r", actor=SYSTEM)
        except Conflict:
            pass
        report.refresh_from_db()
        assert (report.answered_at is not None) == bool(report.answer)
        assert (report.waiting_since is not None) == (report.status == Status.WAITING)
        assert (report.closed_at is not None) == (report.status == Status.CLOSED)
        assert report.events.count() >= 1
