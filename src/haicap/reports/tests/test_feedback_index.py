"""The satisfaction group of Decision 766 from real feedback: handled within 15 working days,
and complaint reports counted against the unit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
import time_machine

from haicap.core.actors import SYSTEM
from haicap.core.calendar import ZONE
from haicap.dossiers.models import Dossier
from haicap.feedback import categories, routing
from haicap.feedback.actions import Intake, do_answer_report, do_file_report
from haicap.feedback.models import Channel, Report
from haicap.reports import index
from haicap.reports.indicators import describe, province_ranking, scope_for, totals

pytestmark = pytest.mark.django_db
MONDAY = dt.datetime(2026, 3, 2, 9, 0, tzinfo=ZONE)


def file(category: str = "moi-truong", dossier: str = "") -> Report:
    place = routing.from_address("Phường Trúc Bạch, Quận Ba Đình, Hà Nội")
    report, _created = do_file_report(
        Intake(
            channel=Channel.DESK,
            category=categories.category(category, place.province),
            place=place,
            description="Phản ánh",
            dossier_code=dossier,
        ),
        actor=SYSTEM,
    )
    return report


def test_feedback_within_15_working_days_and_complaints(
    make_dossier: Callable[..., Dossier],
) -> None:
    with time_machine.travel(MONDAY, tick=False):
        quick, slow, waiting = file(), file(), file()
        dossier = make_dossier()
        file("khieu-nai-tthc", dossier=dossier.code)
    with time_machine.travel(MONDAY + dt.timedelta(days=3), tick=False):
        do_answer_report(quick, answer="Đã xử lý", actor=SYSTEM)
    with time_machine.travel(MONDAY + dt.timedelta(days=30), tick=False):
        do_answer_report(slow, answer="Muộn", actor=SYSTEM)
        spring = (dt.date(2026, 3, 1), dt.date(2026, 4, 30))
        figures = totals(scope_for("00004"), *spring)
        # quick (in time), slow (answered late, on 1 April), and the two still open past
        # their 15-day mark (23 March).
        assert (figures.feedback_due, figures.feedback_in_time) == (4, 1)
        assert figures.complaints == 1
        assert figures.feedback_share == 0.25
        scored = index.score(figures, index.catalogue())
        assert scored["criteria"]["feedback_handled_in_15_days"]["share"] == 0.25
        # March alone: quick and the two open ones; slow, answered in April, counts there.
        march = totals(scope_for("00004"), dt.date(2026, 3, 1), dt.date(2026, 3, 31))
        assert (march.feedback_due, march.feedback_in_time) == (3, 1)
        assert describe(figures, index.catalogue(), with_index=False)["complaints"] == 1
        ranking = province_ranking(*spring, index.catalogue())
        hanoi = next(r for r in ranking if r["unit"].code == "01")
        assert hanoi["totals"].feedback_due == 4
        assert waiting.pk
    elsewhere = totals(scope_for("00070"), dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    assert elsewhere.feedback_due == 0
