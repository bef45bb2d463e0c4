"""Applying a plan: merges, splits with overrides, the district tier, resumption, access."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from procrastinate.contrib.django.models import ProcrastinateJob

from haicap.core.actors import SYSTEM
from haicap.core.calendar import ZONE
from haicap.core.models import AuditEvent
from haicap.dossiers import notifications
from haicap.dossiers.access import actions_for, visible_dossiers
from haicap.dossiers.models import Dossier, Status
from haicap.dossiers.timeline import replay, state_of
from haicap.reorg.actions import do_add_plan_override, do_apply_plan, do_preview_plan
from haicap.reorg.models import PlanState, ReorgPlan
from haicap.staff.models import RoleAssignment
from haicap.units.models import AdminUnit, Succession, Tier
from haicap.units.source import LEGACY_LAST_DAY, REFORM_DATE

pytestmark = pytest.mark.django_db
Make = Callable[..., Dossier]


def unit(code: str, day: dt.date) -> AdminUnit:
    return AdminUnit.objects.in_force_on(day).get(code=code)


def a_split_commune() -> tuple[AdminUnit, AdminUnit, AdminUnit]:
    """A legacy commune split between several new ones: (old, default, another)."""
    succession = (
        Succession.objects.filter(kind="split", is_default=False)
        .select_related("predecessor", "successor")
        .order_by("predecessor__code")
        .first()
    )
    assert succession is not None
    default = Succession.objects.get(predecessor=succession.predecessor, is_default=True)
    return succession.predecessor, default.successor, succession.successor


def test_a_merged_commune_hands_its_dossiers_over(old_dossier: Make, plan: ReorgPlan) -> None:
    dossier = old_dossier("00004")  # Phường Trúc Bạch, before the reform
    due = dossier.due_at
    assert dossier.responsible_unit.valid_to == LEGACY_LAST_DAY
    result = do_apply_plan(plan, actor=SYSTEM)
    assert result.moved == 1
    dossier.refresh_from_db()
    new_ba_dinh = unit("00004", REFORM_DATE)
    assert dossier.responsible_unit_id == new_ba_dinh.pk
    assert dossier.receiving_unit_id == new_ba_dinh.pk
    assert dossier.province_id == unit("01", REFORM_DATE).pk
    assert dossier.due_at == due  # deadlines and elapsed time are kept
    move = dossier.events.get(action="move")
    assert move.data["plan_name"] == plan.name
    assert replay(dossier.events.order_by("seq")) == state_of(dossier)
    plan.refresh_from_db()
    assert plan.state == PlanState.APPLIED


def test_a_split_commune_uses_its_default_and_the_overrides(
    old_dossier: Make, plan: ReorgPlan
) -> None:
    old, default, other = a_split_commune()
    civil = old_dossier(old.code)
    residence = old_dossier(old.code, procedure="HCP.CTR.001")
    do_add_plan_override(
        plan,
        predecessor=old.code,
        successor=other.code,
        procedure="HCP.CTR.001",
        sector=None,
        actor=SYSTEM,
    )
    do_apply_plan(plan, actor=SYSTEM)
    civil.refresh_from_db()
    residence.refresh_from_db()
    assert civil.responsible_unit_id == default.pk
    assert residence.responsible_unit_id == other.pk
    assert residence.receiving_unit_id == other.pk


def test_an_override_must_name_a_successor_of_the_unit(plan: ReorgPlan) -> None:
    from haicap.core.errors import Invalid

    with pytest.raises(Invalid):
        do_add_plan_override(
            plan,
            predecessor="00004",
            successor="00070",
            procedure=None,
            sector="land",
            actor=SYSTEM,
        )


def test_the_district_tier_goes_to_the_province_or_the_commune(
    old_dossier: Make, plan: ReorgPlan
) -> None:
    # Quận Ba Đình (001) kept its own dossiers; the district tier is abolished.
    # A province-tier procedure goes to the new province …
    permit = old_dossier("001", procedure="HCP.TP.001")
    # … a commune procedure to the commune the applicant lives in (Trúc Bạch → Ba Đình) …
    marital = old_dossier("001", MaDonViCuTru="00004")
    # … and without the applicant's commune it cannot be placed: listed, not guessed.
    orphan = old_dossier("001")
    assert {d.responsible_unit.tier for d in (permit, marital, orphan)} == {Tier.DISTRICT}
    summary = do_preview_plan(plan, actor=SYSTEM)
    assert [row["label"] for row in summary["cannot_be_placed"]] == [orphan.code]
    assert summary["district_dossiers_by_new_tier"] == {
        "province": 1,
        "commune": 1,
        "unplaced": 1,
    }
    do_apply_plan(plan, actor=SYSTEM)
    permit.refresh_from_db()
    marital.refresh_from_db()
    orphan.refresh_from_db()
    assert permit.responsible_unit_id == unit("01", REFORM_DATE).pk
    assert marital.responsible_unit_id == unit("00004", REFORM_DATE).pk
    assert orphan.responsible_unit.code == "001"  # untouched, waiting for a decision
    assert orphan.responsible_unit.tier == Tier.DISTRICT


def test_a_second_run_moves_nothing_twice(old_dossier: Make, plan: ReorgPlan) -> None:
    dossiers = [old_dossier("00004") for _ in range(3)]
    assert do_apply_plan(plan, actor=SYSTEM).moved == 3
    again = do_apply_plan(plan, actor=SYSTEM)
    assert again.moved == 0
    for dossier in dossiers:
        assert dossier.events.filter(action="move").count() == 1


def test_an_interrupted_run_resumes(old_dossier: Make, plan: ReorgPlan) -> None:
    for _ in range(5):
        old_dossier("00004")
    first = do_apply_plan(plan, actor=SYSTEM, batch_size=2, max_batches=1)
    assert (first.moved, first.finished) == (2, False)
    plan.refresh_from_db()
    assert plan.state == PlanState.APPLYING
    rest = do_apply_plan(plan, actor=SYSTEM, batch_size=2)
    assert (rest.moved, rest.finished) == (3, True)
    moved = Dossier.objects.filter(events__action="move").distinct()
    assert moved.count() == 5


def test_finished_dossiers_keep_the_unit_that_did_them(old_dossier: Make, plan: ReorgPlan) -> None:
    returned = old_dossier("00004", status=Status.RETURNED)
    ready = old_dossier("00004", status=Status.PROCESSED)  # result not yet handed over
    do_apply_plan(plan, actor=SYSTEM)
    returned.refresh_from_db()
    ready.refresh_from_db()
    truc_bach = unit("00004", LEGACY_LAST_DAY)
    assert returned.responsible_unit_id == truc_bach.pk
    assert returned.receiving_unit_id == truc_bach.pk
    assert not returned.events.filter(action="move").exists()
    assert ready.responsible_unit_id == truc_bach.pk  # it did the work
    assert ready.receiving_unit_id == unit("00004", REFORM_DATE).pk  # the new ward hands it over


def test_access_after_the_move(old_dossier: Make, plan: ReorgPlan, alice: User) -> None:
    old_officer = User.objects.create_user("old.officer")
    RoleAssignment.objects.create(
        user=old_officer, unit=unit("00004", LEGACY_LAST_DAY), role="receiver"
    )
    dossier = old_dossier("00004")
    assert not visible_dossiers(alice).filter(pk=dossier.pk).exists()
    do_apply_plan(plan, actor=SYSTEM)
    alice = User.objects.get(pk=alice.pk)  # a fresh scope
    assert visible_dossiers(alice).filter(pk=dossier.pk).exists()
    assert "assign" in actions_for(alice, Dossier.objects.get(pk=dossier.pk))
    # The old unit's assignment is retired; the officer now works for the successor.
    assert not RoleAssignment.objects.get(
        user=old_officer, unit__code="00004", unit__valid_to=LEGACY_LAST_DAY
    ).is_active
    assert RoleAssignment.objects.filter(
        user=old_officer, unit=unit("00004", REFORM_DATE), is_active=True
    ).exists()


def test_old_unit_officers_no_longer_act_when_staff_stay(
    old_dossier: Make, plan: ReorgPlan
) -> None:
    ReorgPlan.objects.filter(pk=plan.pk).update(move_staff=False)
    plan.refresh_from_db()
    old_officer = User.objects.create_user("old.officer")
    RoleAssignment.objects.create(
        user=old_officer, unit=unit("00004", LEGACY_LAST_DAY), role="receiver"
    )
    dossier = old_dossier("00004")
    assert visible_dossiers(old_officer).filter(pk=dossier.pk).exists()
    do_apply_plan(plan, actor=SYSTEM)
    old_officer = User.objects.get(pk=old_officer.pk)
    assert not visible_dossiers(old_officer).filter(pk=dossier.pk).exists()


def test_a_split_units_officers_follow_the_default_only(old_dossier: Make, plan: ReorgPlan) -> None:
    old, default, other = a_split_commune()
    officer = User.objects.create_user("split.officer")
    RoleAssignment.objects.create(user=officer, unit=old, role="receiver")
    routed = old_dossier(old.code, procedure="HCP.CTR.001")
    do_add_plan_override(
        plan,
        predecessor=old.code,
        successor=other.code,
        procedure="HCP.CTR.001",
        sector=None,
        actor=SYSTEM,
    )
    do_apply_plan(plan, actor=SYSTEM)
    officer = User.objects.get(pk=officer.pk)
    assert RoleAssignment.objects.filter(user=officer, unit=default, is_active=True).exists()
    assert not visible_dossiers(officer).filter(pk=routed.pk).exists()


def test_the_preview_counts_what_moves(old_dossier: Make, plan: ReorgPlan) -> None:
    old_dossier("00004")
    old_dossier("00004", status=Status.PROCESSED)
    old_dossier("00004", status=Status.RETURNED)
    officer = User.objects.create_user("counted")
    RoleAssignment.objects.create(
        user=officer, unit=unit("00004", LEGACY_LAST_DAY), role="receiver"
    )
    summary = do_preview_plan(plan, actor=SYSTEM)
    totals = summary["totals"]
    assert totals["pending_dossiers"] == 1
    assert totals["results_not_returned"] == 1
    assert totals["staff_assignments"] == 1
    assert totals["service_centres"] >= 1  # the old ward's desk, created by the import
    row = next(u for u in summary["units"] if u["from"]["code"] == "00004")
    assert row["to"]["name"] == "Phường Ba Đình"
    assert (row["dossiers"], row["results"], row["staff"]) == (1, 1, 1)
    plan.refresh_from_db()
    assert plan.state == PlanState.PREVIEWED
    assert Dossier.objects.filter(events__action="move").count() == 0  # nothing moved


def test_applicants_are_told_by_a_job_per_batch(old_dossier: Make, plan: ReorgPlan) -> None:
    for _ in range(3):
        old_dossier("00004")
    do_apply_plan(plan, actor=SYSTEM, batch_size=2)
    jobs = ProcrastinateJob.objects.filter(task_name="haicap.notify_dossiers_moved")
    assert jobs.count() == 2
    # Each job tells its batch's applicants, and each message sent is audited.
    sent = sum(notifications.send_moved(**job.args) for job in jobs)
    assert sent == 3
    assert len(mail.outbox) == 0  # the imported applicants gave a phone, no e-mail
    told = AuditEvent.objects.filter(verb="dossier.notify", after__action="move")
    assert told.count() == 3
    assert [event.after and event.after["channels"] for event in told] == [["sms"]] * 3


def test_old_units_are_closed_and_centres_follow(old_dossier: Make, plan: ReorgPlan) -> None:
    dossier = old_dossier("00004")
    centre = dossier.receiving_centre
    do_apply_plan(plan, actor=SYSTEM)
    centre.refresh_from_db()
    assert centre.unit_id == unit("00004", REFORM_DATE).pk
    assert centre.kind == "reception_point"
    assert centre.parent is not None
    assert centre.parent.code == "H01.00004"


def test_an_old_code_still_opens_and_the_old_unit_resolves(
    old_dossier: Make, plan: ReorgPlan, alice: User
) -> None:
    from haicap.dossiers.access import get_dossier_for
    from haicap.units.queries import resolve

    dossier = old_dossier("00004")
    do_apply_plan(plan, actor=SYSTEM)
    assert get_dossier_for(User.objects.get(pk=alice.pk), dossier.code).pk == dossier.pk
    resolved = resolve("00004", dt.datetime.now(tz=ZONE).date())
    assert resolved.units[0][0].name == "Phường Ba Đình"


def test_the_applicant_reads_where_the_dossier_went(
    old_dossier: Make, plan: ReorgPlan, client: Client
) -> None:
    dossier = old_dossier("00004")
    do_apply_plan(plan, actor=SYSTEM)
    page = client.get("/lookup/", {"code": dossier.code, "secret": dossier.secret})
    assert page.status_code == 200
    text = page.content.decode()
    assert "Phường Trúc Bạch" in text
    assert "Phường Ba Đình" in text
    assert "is now part of" in text or "nay thuộc" in text or "đã sáp nhập" in text
