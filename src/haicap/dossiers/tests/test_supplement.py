"""Supplements stop the clock; a second request counts against the agency."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import User

from haicap.core.calendar import ZONE
from haicap.core.errors import Invalid
from haicap.dossiers import actions
from haicap.dossiers.models import Status

MONDAY = dt.datetime(2026, 3, 2, 9, tzinfo=ZONE)


def test_waiting_for_a_supplement_does_not_count(alice: User, make_dossier: Any) -> None:
    dossier = make_dossier(alice, at=MONDAY)  # 3 working days: due Thursday 17:00
    assert dossier.due_at == dt.datetime(2026, 3, 5, 17, tzinfo=ZONE)
    asked = actions.do_request_supplement(
        dossier,
        missing=["Bản sao Giấy khai sinh"],
        reason="Thiếu giấy tờ",
        actor=alice,
        at=MONDAY + dt.timedelta(hours=1),  # Monday 10:00
    )
    assert asked.status == Status.SUPPLEMENT_REQUESTED
    assert asked.paused_at is not None
    resumed = actions.do_receive_supplement(
        asked,
        actor=alice,
        at=dt.datetime(2026, 3, 4, 10, tzinfo=ZONE),  # Wednesday 10:00
    )
    # Two full office days waited: Thursday 17:00 becomes Monday 17:00.
    assert resumed.status == Status.ACCEPTED
    assert resumed.due_at == dt.datetime(2026, 3, 9, 17, tzinfo=ZONE)
    assert resumed.paused_seconds == 2 * 9.5 * 3600
    assert resumed.original_due_at == dt.datetime(2026, 3, 5, 17, tzinfo=ZONE)


def test_a_second_request_counts_against_the_agency(alice: User, make_dossier: Any) -> None:
    dossier = make_dossier(alice, at=MONDAY)
    for _ in range(2):
        dossier = actions.do_request_supplement(
            dossier, missing=["Tờ khai"], reason="Sai thông tin", actor=alice
        )
        dossier = actions.do_receive_supplement(dossier, actor=alice)
    requests = dossier.events.filter(action="request_supplement").order_by("seq")
    assert [e.data["counts_against_agency"] for e in requests] == [False, True]
    assert dossier.supplement_requests == 2


def test_a_request_must_say_what_is_missing(alice: User, make_dossier: Any) -> None:
    dossier = make_dossier(alice)
    with pytest.raises(Invalid) as refused:
        actions.do_request_supplement(dossier, missing=[" "], reason="x", actor=alice)
    assert refused.value.field == "missing"
    dossier.refresh_from_db()
    assert dossier.status == Status.ACCEPTED
    assert dossier.version == 1
