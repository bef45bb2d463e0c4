"""Random sequences of actions never reach an invalid state, and replaying a dossier's
events always gives its stored state (hypothesis stateful testing on the real database)."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
import time_machine
from django.contrib.auth.models import User
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from haicap.conftest import APPLICANT, MARITAL
from haicap.core.calendar import ZONE, WorkingCalendar
from haicap.core.errors import Conflict
from haicap.dossiers.access import actions_for
from haicap.dossiers.actions import do_intake_dossier, do_submit_dossier
from haicap.dossiers.dispatch import ActionRequest, run_action
from haicap.dossiers.models import FINAL_STATUSES, Dossier, Status
from haicap.dossiers.timeline import replay, state_of
from haicap.dossiers.workflow import ACTIONS, blocked
from haicap.procedures.models import Procedure
from haicap.units.models import ServiceCenter

CAL = WorkingCalendar()
# Actions that succeeded at least once: the machine must really exercise the workflow.
RAN: set[str] = set()
# Actions that end a dossier before its result; the guided rule avoids them.
ENDING = {"refuse_intake", "withdraw", "stop"}


def machine(officer: User, assignee: User) -> type[RuleBasedStateMachine]:
    procedure = Procedure.objects.get(code=MARITAL)
    centre = ServiceCenter.objects.select_related("unit", "unit__province").get(code="H01.00004")

    class DossierMachine(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.now = dt.datetime(2026, 3, 2, 8, 0, tzinfo=ZONE)
            self.dossier: Dossier | None = None
            self.finished_status: int | None = None

        @initialize(online=st.booleans())
        def file(self, online: bool) -> None:
            self.finished_status = None
            create = do_submit_dossier if online else do_intake_dossier
            self.dossier, _created = create(
                procedure=procedure, centre=centre, applicant=APPLICANT, actor=officer, at=self.now
            )

        @precondition(lambda self: self.finished_status is not None)
        @rule(online=st.booleans())
        def file_another(self, online: bool) -> None:
            """The last dossier ended: go on with a new one."""
            self.file(online)

        @rule(minutes=st.integers(min_value=0, max_value=4 * 24 * 60))
        def time_passes(self, minutes: int) -> None:
            self.now += dt.timedelta(minutes=minutes)

        @rule(data=st.data())
        def act_as_allowed(self, data: st.DataObject) -> None:
            """Mostly take an action the page would offer, so long paths get explored."""
            assert self.dossier is not None
            offered = actions_for(officer, Dossier.objects.get(pk=self.dossier.pk))
            going_on = [action for action in offered if action not in ENDING]
            if offered:
                self.act(data.draw(st.sampled_from(going_on or offered)), stale=False)

        @rule(action=st.sampled_from(sorted(ACTIONS)), stale=st.booleans())
        def act(self, action: str, stale: bool) -> None:
            """Any action, possibly with the version of a moment ago."""
            assert self.dossier is not None
            current = Dossier.objects.get(pk=self.dossier.pk)
            reason = blocked(current, action)
            body = ActionRequest(
                version=current.version - 1 if stale else current.version,
                reason="Lý do ghi rõ",
                note="ghi chú",
                missing=["Bản sao giấy tờ tùy thân"],
                assignee=assignee.username,
                agency="Chi cục Thuế khu vực",
                method="cash",
                new_due_at=CAL.due_in_working_days(max(self.now, current.due_at or self.now), 2),
            )
            with time_machine.travel(self.now, tick=False):
                try:
                    run_action(current, action, body, officer)
                except Conflict:
                    # Refused only when the state machine or the stale version says so.
                    assert stale or reason is not None
                    return
            assert reason is None, f"{action} ran although: {reason}"
            assert not stale, "a stale version must not win"
            RAN.add(action)

        @invariant()
        def replay_gives_the_stored_state(self) -> None:
            if self.dossier is None:
                return
            dossier = Dossier.objects.get(pk=self.dossier.pk)
            events = list(dossier.events.order_by("seq"))
            assert replay(events) == state_of(dossier)
            assert [e.seq for e in events] == list(range(1, dossier.version + 1))
            for before, after in itertools.pairwise(events):
                assert after.from_status == before.to_status

        @invariant()
        def the_state_is_valid(self) -> None:
            if self.dossier is None:
                return
            d = Dossier.objects.get(pk=self.dossier.pk)
            assert d.status in Status.values
            assert (d.paused_at is not None) == (d.status == Status.SUPPLEMENT_REQUESTED)
            assert (d.received_at is None) == (d.due_at is None)
            if d.status == Status.NEW:
                assert d.received_at is None
            if d.status in FINAL_STATUSES or d.status == Status.PROCESSED:
                assert d.finished_at is not None
            if d.status == Status.PROCESSED:
                assert d.outcome
            if d.status == Status.RETURNED:
                assert d.returned_at is not None
                assert d.finished_at is not None
                assert d.returned_at >= d.finished_at
            if d.due_at is not None and d.original_due_at is not None:
                assert d.due_at >= d.original_due_at
            if self.finished_status is not None:
                assert d.status == self.finished_status, "a final dossier changed"
            if d.status in FINAL_STATUSES:
                self.finished_status = d.status

    return DossierMachine


@pytest.mark.django_db
def test_random_action_sequences_stay_valid(dave: User, alice: User) -> None:
    run_state_machine_as_test(
        machine(dave, alice),
        settings=settings(
            max_examples=100,
            derandomize=True,
            stateful_step_count=25,
            deadline=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        ),
    )
    assert set(ACTIONS) - ENDING <= RAN, sorted(set(ACTIONS) - RAN)


def test_every_action_has_a_role_and_a_source() -> None:
    for spec in ACTIONS.values():
        assert spec.roles
        assert spec.sources
        assert not spec.sources & set(FINAL_STATUSES), f"{spec.name} leaves a final status"
