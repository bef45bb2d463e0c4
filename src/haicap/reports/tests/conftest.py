"""Dossiers with known histories in October 2026 (no public holiday that month), at Phường
Ba Đình: each one exercises an indicator. Xác nhận tình trạng hôn nhân takes 3 working days,
so a dossier received on Monday 5 October at 09:00 is due on Thursday 8 October at 17:00.
Office hours are 07:30-17:00: a working day is 9.5 hours."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.contrib.auth.models import User

from haicap.core.actors import SYSTEM
from haicap.core.calendar import ZONE
from haicap.dossiers import actions
from haicap.dossiers.actions import do_rate_dossier
from haicap.dossiers.models import Dossier
from haicap.dossiers.papers import Upload
from haicap.testing.files import pdf_bytes

Make = Callable[..., Dossier]
HOUR = 3600
DAY = 9.5 * HOUR


def result_scan() -> Upload:
    return Upload(
        name="Kết quả điện tử",
        original_name="ket-qua.pdf",
        content=pdf_bytes(),
        content_type="application/pdf",
        extension="pdf",
    )


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 10, day, hour, minute, tzinfo=ZONE)


def finish(
    dossier: Dossier, officer: User, when: dt.datetime, *, electronic: bool = False
) -> Dossier:
    """Assign, approve and mark the result ready at ``when`` (the end of processing)."""
    dossier = actions.do_assign_dossier(dossier, assignee=officer, actor=SYSTEM, at=when)
    dossier = actions.do_approve_dossier(dossier, actor=SYSTEM, at=when)
    return actions.do_mark_result_ready(
        dossier, actor=SYSTEM, at=when, uploads=[result_scan()] if electronic else []
    )


@pytest.fixture
def october(make_dossier: Make, alice: User) -> dict[str, Dossier]:
    """Four dossiers: early, on time thanks to the supplement pause, late with an apology,
    and one filed online, returned with an electronic result and rated."""
    early = finish(make_dossier(at=at(5, 9)), alice, at(6, 10))

    paused = make_dossier(at=at(5, 9))
    paused = actions.do_request_supplement(
        paused, missing=["Bản sao CCCD"], reason="Thiếu giấy tờ", actor=SYSTEM, at=at(6, 9)
    )
    paused = actions.do_receive_supplement(paused, actor=SYSTEM, at=at(12, 9))
    paused = finish(paused, alice, at(14, 10))

    late = make_dossier(at=at(5, 9))
    late = actions.do_apologise_dossier(
        late, new_due_at=at(13, 17), reason="Chờ xác minh", actor=SYSTEM, at=at(8, 10)
    )
    late = finish(late, alice, at(12, 11))

    online, _created = actions.do_submit_dossier(
        procedure=early.procedure,
        centre=early.receiving_centre,
        applicant=actions.Applicant(full_name="Trần Văn Mạng", phone="0987654321"),
        actor=SYSTEM,
        at=at(6, 8),
    )
    online = actions.do_accept_dossier(online, actor=SYSTEM, at=at(6, 8, 30))
    online = finish(online, alice, at(7, 9), electronic=True)
    online = actions.do_return_result(online, actor=SYSTEM, at=at(7, 10))
    do_rate_dossier(online, score=3, comment="Nhanh", actor=SYSTEM)
    return {"early": early, "paused": paused, "late": late, "online": online}


@pytest.fixture
def refreshed(october: dict[str, Dossier]) -> dict[str, Dossier]:
    from haicap.reports.aggregate import refresh

    refresh()
    return october
