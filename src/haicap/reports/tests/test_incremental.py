"""The figures kept current by refreshes equal a rebuild from scratch, whatever happened."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from haicap.core.actors import SYSTEM
from haicap.core.errors import DomainError
from haicap.dossiers import actions
from haicap.dossiers.actions import do_rate_dossier
from haicap.dossiers.models import Dossier
from haicap.reports.aggregate import GRAINS, rebuild, refresh
from haicap.reports.models import ChangedDay
from haicap.reports.tests.conftest import at

pytestmark = pytest.mark.django_db
Make = Callable[..., Dossier]


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every figures table, row by row, without ids."""
    tables = {}
    with connection.cursor() as cursor:
        for grain in GRAINS:
            cursor.execute(f"SELECT * FROM {grain.table}")  # noqa: S608 - our table names
            names = [column.name for column in cursor.description or ()]
            rows = [
                tuple(value for name, value in zip(names, row, strict=True) if name != "id")
                for row in cursor.fetchall()
            ]
            tables[grain.table] = sorted(rows, key=repr)
    return tables


def test_refreshes_equal_a_rebuild(refreshed: dict[str, Dossier]) -> None:
    counted = snapshot()
    assert counted["reports_unitday"]  # something was counted
    rebuild()
    assert snapshot() == counted


def test_a_refresh_counts_only_what_changed(refreshed: dict[str, Dossier], alice: User) -> None:
    assert not ChangedDay.objects.exists()
    early = refreshed["early"]
    actions.do_return_result(early, actor=SYSTEM, at=at(9, 9))  # not a counted change
    assert not ChangedDay.objects.exists()
    actions.do_withdraw_dossier(
        actions.do_submit_dossier(
            procedure=early.procedure,
            centre=early.receiving_centre,
            applicant=actions.Applicant(full_name="Lê Thị Rút"),
            actor=SYSTEM,
            at=at(9, 8),
        )[0],
        reason="",
        actor=SYSTEM,
        at=at(9, 9),
    )
    assert not ChangedDay.objects.exists()  # never received: counted nowhere
    with connection.cursor() as cursor:  # a raw write is noticed too (a reorganisation's)
        cursor.execute("UPDATE dossiers_dossier SET fee = fee + 1000 WHERE id = %s", [early.pk])
    assert ChangedDay.objects.count() == 2  # its received day and its finished day
    assert refresh().keys == 2
    assert not ChangedDay.objects.exists()


STEPS = st.lists(
    st.tuples(
        st.sampled_from(
            [
                "intake",
                "supplement",
                "resume",
                "finish",
                "return",
                "rate",
                "stop",
                "apologise",
                "move",
                "refresh",
            ]
        ),
        st.integers(min_value=0, max_value=3),
        st.integers(min_value=0, max_value=20),
    ),
    max_size=18,
)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=STEPS)
def test_any_history_refreshed_equals_a_rebuild(
    steps: list[tuple[str, int, int]], make_dossier: Make, alice: User
) -> None:
    dossiers: list[Dossier] = []
    hoan_kiem = None
    for step, pick, day in steps:
        when = dt.datetime(2026, 10, 1, 9, tzinfo=at(1, 9).tzinfo) + dt.timedelta(days=day)
        if step == "refresh":
            refresh()
            continue
        if step == "intake" or not dossiers:
            dossiers.append(make_dossier(at=when))
            continue
        dossier = Dossier.objects.get(pk=dossiers[pick % len(dossiers)].pk)
        try:
            if step == "supplement":
                actions.do_request_supplement(
                    dossier, missing=["Giấy tờ"], reason="Thiếu", actor=SYSTEM, at=when
                )
            elif step == "resume":
                actions.do_receive_supplement(dossier, actor=SYSTEM, at=when)
            elif step == "finish":
                dossier = actions.do_assign_dossier(dossier, assignee=alice, actor=SYSTEM, at=when)
                dossier = actions.do_approve_dossier(dossier, actor=SYSTEM, at=when)
                actions.do_mark_result_ready(dossier, actor=SYSTEM, at=when)
            elif step == "return":
                actions.do_return_result(dossier, actor=SYSTEM, at=when)
            elif step == "rate":
                do_rate_dossier(dossier, score=1 + pick % 3, comment="", actor=SYSTEM)
            elif step == "stop":
                actions.do_stop_dossier(dossier, reason="Dừng", actor=SYSTEM, at=when)
            elif step == "apologise":
                actions.do_apologise_dossier(
                    dossier,
                    new_due_at=when + dt.timedelta(days=30),
                    reason="Chậm",
                    actor=SYSTEM,
                    at=when,
                )
            elif step == "move":
                # As a reorganisation does: raw SQL, another unit (Hoàn Kiếm).
                from haicap.units.models import AdminUnit

                hoan_kiem = hoan_kiem or AdminUnit.objects.get(code="00070", valid_to=None)
                Dossier.objects.filter(pk=dossier.pk).update(responsible_unit=hoan_kiem)
        except DomainError:
            pass  # not possible from the dossier's state: the history goes on
    refresh()
    counted = snapshot()
    rebuild()
    assert snapshot() == counted


def test_a_huge_change_is_counted_again_from_scratch(
    refreshed: dict[str, Dossier], monkeypatch: pytest.MonkeyPatch
) -> None:
    from haicap.reports import aggregate
    from haicap.reports.models import RefreshRun

    counted = snapshot()
    monkeypatch.setattr(aggregate, "REBUILD_ABOVE_KEYS", 1)
    with connection.cursor() as cursor:  # many changes at once, as a reorganisation makes
        cursor.execute("UPDATE dossiers_dossier SET apologies = apologies + 1")
        cursor.execute("UPDATE dossiers_dossier SET apologies = apologies - 1")
    assert ChangedDay.objects.count() > 1
    refresh()
    last = RefreshRun.objects.order_by("-id").first()
    assert last is not None
    assert last.kind == "rebuild"
    assert not ChangedDay.objects.exists()
    assert snapshot() == counted  # back where it was, counted from scratch
