"""Changes a reorganisation makes: plans built, previewed, applied. Every run is audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from procrastinate.contrib.django import app
from procrastinate.contrib.django.models import ProcrastinateJob
from procrastinate.exceptions import AlreadyEnqueued

from haicap.core import audit
from haicap.core.actors import Actor, SystemActor, person_id
from haicap.core.errors import Conflict, Forbidden, Invalid
from haicap.reorg import access, bounds
from haicap.reorg.engine import ApplyResult, carry_out, discard_all, place_all, summarise
from haicap.reorg.models import PlanOverride, PlanState, ReorgPlan
from haicap.reorg.plans import add_override, plan_2025, plan_from_file

# Advisory-lock namespace: one run at a time per plan (previews re-place, applies move).
_LOCK_SPACE = 7_250_701


@contextmanager
def _exclusive(plan: ReorgPlan) -> Iterator[None]:
    """Hold the plan's lock for the block, or refuse at once if another run holds it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [_LOCK_SPACE, plan.pk])
        (taken,) = cursor.fetchone()
    if not taken:
        raise Conflict(
            _("Another preview or apply of this plan is running; try again when it ends."),
            code="plan_busy",
        )
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [_LOCK_SPACE, plan.pk])


def _audit_plan(verb: str, plan: ReorgPlan, actor: Actor, **after: Any) -> None:
    audit.record(verb, actor=actor, subject_type="reorg_plan", subject_id=plan.pk, after=after)


def do_build_plan_2025(*, actor: Actor) -> ReorgPlan:
    """The 1 July 2025 plan, taken from the registry's successions."""
    with transaction.atomic():
        plan = plan_2025()
        _audit_plan("reorg.plan", plan, actor, name=plan.name, successions=plan.successions.count())
    return plan


def do_import_plan(
    path: Path,
    *,
    name: str,
    legal_basis: str,
    effective_date: dt.date,
    actor: Actor,
    within_provinces: set[int] | None = None,
) -> ReorgPlan:
    """A plan from an uploaded CSV or XLSX table; Invalid lists the refused rows."""
    with transaction.atomic():
        plan, refusals = plan_from_file(
            path,
            name=name,
            legal_basis=legal_basis,
            effective_date=effective_date,
            within_provinces=within_provinces,
        )
        if plan is None:
            raise Invalid(
                "; ".join(
                    _("row %(row)s: %(reason)s") % {"row": r.row, "reason": r.reason}
                    if r.row
                    else r.reason
                    for r in refusals[:20]
                ),
                field="file",
            )
        _audit_plan(
            "reorg.plan",
            plan,
            actor,
            name=name,
            file=path.name,
            successions=plan.successions.count(),
        )
    return plan


def do_add_plan_override(
    plan: ReorgPlan,
    *,
    predecessor: str,
    successor: str,
    procedure: str | None,
    sector: str | None,
    actor: Actor,
    within_provinces: set[int] | None = None,
) -> PlanOverride:
    """Route a split unit's dossiers of one procedure (or sector) to one of its successors."""
    if plan.state == PlanState.APPLIED:
        raise Conflict(_("The plan has been applied; it can no longer change."))
    with transaction.atomic():
        override = add_override(
            plan,
            predecessor=predecessor,
            successor=successor,
            procedure=procedure,
            sector=sector,
            within_provinces=within_provinces,
        )
        _audit_plan(
            "reorg.override",
            plan,
            actor,
            predecessor=predecessor,
            successor=successor,
            procedure=procedure,
            sector=sector,
        )
    return override


def do_preview_plan(
    plan: ReorgPlan, *, actor: Actor, province_id: int | None = None
) -> dict[str, Any]:
    """Place all pending work afresh and count what would move (nothing moves)."""
    bounds.check_plan_inside(plan)
    with _exclusive(plan), transaction.atomic():
        place_all(plan, refresh=True)
        summary = summarise(plan, province_id=province_id)
        now = timezone.now()
        if plan.state == PlanState.DRAFT:
            plan.state = PlanState.PREVIEWED
        plan.previewed_at = now
        if province_id is None:
            plan.preview = summary
        plan.save(update_fields=["state", "previewed_at", "preview"])
        audit.record(
            "reorg.preview",
            actor=actor,
            subject_type="reorg_plan",
            subject_id=plan.pk,
            unit_id=province_id,
            after=summary["totals"],
        )
    return summary


def do_apply_plan(
    plan: ReorgPlan,
    *,
    actor: Actor,
    province_id: int | None = None,
    batch_size: int = 20_000,
    max_batches: int | None = None,
    workers: int = 1,
    progress: bool = False,
) -> ApplyResult:
    """Move the pending work (a province's part, if given); safe to run again or resume.

    Each batch commits on its own with its timeline events, audit rows and one notification
    job, so an interrupted run keeps what it moved and the next run carries on from there.
    ``workers`` batches run at once on their own connections (outside any transaction).
    A province's plan that names a unit outside the province is refused before anything moves.
    """
    bounds.check_plan_inside(plan)
    with _exclusive(plan):
        result = carry_out(
            plan,
            actor=actor,
            batch_size=batch_size,
            max_batches=max_batches,
            province_id=province_id,
            workers=workers,
            progress=progress,
        )
        audit.record(
            "reorg.apply",
            actor=actor,
            subject_type="reorg_plan",
            subject_id=plan.pk,
            unit_id=province_id,
            after=result.as_dict(),
        )
    return result


def do_delete_plan(plan: ReorgPlan, *, actor: Actor) -> None:
    """Delete a plan that has not been applied (nor started to be), with its placements."""
    if not isinstance(actor, SystemActor) and not access.may_delete(actor, plan):
        raise Forbidden(
            _("Only a national administrator may delete a plan reaching other provinces.")
        )
    if plan.state in (PlanState.APPLYING, PlanState.APPLIED) or plan.applied_at is not None:
        raise Conflict(
            _("Plan “%(name)s” has been applied, or is being applied: it cannot be deleted.")
            % {"name": plan.name},
            code="plan_applied",
        )
    with _exclusive(plan), transaction.atomic():
        locked = ReorgPlan.objects.select_for_update().get(pk=plan.pk)
        if locked.state in (PlanState.APPLYING, PlanState.APPLIED):
            raise Conflict(_("The plan started to be applied meanwhile."), code="plan_applied")
        if ProcrastinateJob.objects.filter(
            task_name="haicap.reorg.apply_plan",
            args__plan_id=plan.pk,
            status__in=["todo", "doing"],
        ).exists():
            raise Conflict(
                _("This plan is waiting to be applied: it cannot be deleted."),
                code="already_scheduled",
            )
        _audit_plan(
            "reorg.delete",
            locked,
            actor,
            name=locked.name,
            state=locked.state,
            successions=locked.successions.count(),
            overrides=locked.overrides.count(),
        )
        discard_all(locked)
        locked.delete()


def do_schedule_apply(plan: ReorgPlan, *, actor: Actor, province_id: int | None) -> None:
    """Apply in the background (a job per plan and province; a second request is refused)."""
    if plan.state == PlanState.DRAFT:
        raise Conflict(_("Preview the plan before applying it."), code="not_previewed")
    bounds.check_plan_inside(plan)
    try:
        with transaction.atomic():
            # Deferred by name: the job module imports these actions, not the other way.
            app.configure_task(
                "haicap.reorg.apply_plan",
                lock=f"reorg-plan-{plan.pk}",
                queueing_lock=f"reorg-plan-{plan.pk}-{province_id or 'all'}",
            ).defer(
                plan_id=plan.pk,
                province_id=province_id,
                actor_id=person_id(actor),
            )
            audit.record(
                "reorg.apply_scheduled",
                actor=actor,
                subject_type="reorg_plan",
                subject_id=plan.pk,
                unit_id=province_id,
            )
    except AlreadyEnqueued:
        raise Conflict(
            _("This plan is already waiting to be applied; it will start shortly."),
            code="already_scheduled",
        ) from None
