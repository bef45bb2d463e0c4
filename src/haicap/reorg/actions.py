"""Changes a reorganisation makes: plans built, previewed, applied. Every run is audited."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from haicap.core import audit
from haicap.core.errors import Conflict, Invalid
from haicap.reorg.apply import ApplyResult, carry_out
from haicap.reorg.models import PlanOverride, PlanState, ReorgPlan
from haicap.reorg.placement import place
from haicap.reorg.plans import add_override, plan_2025, plan_from_file
from haicap.reorg.preview import summarise

Actor = AbstractBaseUser | AnonymousUser | None


def do_build_plan_2025(*, actor: Actor) -> ReorgPlan:
    plan = plan_2025()
    audit.record(
        "reorg.plan",
        actor=actor,
        subject_type="reorg_plan",
        subject_id=plan.pk,
        after={"name": plan.name, "successions": plan.successions.count()},
    )
    return plan


def do_import_plan(
    path: Path, *, name: str, legal_basis: str, effective_date: dt.date, actor: Actor
) -> ReorgPlan:
    plan, refusals = plan_from_file(
        path, name=name, legal_basis=legal_basis, effective_date=effective_date
    )
    if plan is None:
        raise Invalid(
            "; ".join(f"row {r.row}: {r.reason}" if r.row else r.reason for r in refusals[:20]),
            field="file",
        )
    audit.record(
        "reorg.plan",
        actor=actor,
        subject_type="reorg_plan",
        subject_id=plan.pk,
        after={"name": name, "file": path.name, "successions": plan.successions.count()},
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
) -> PlanOverride:
    if plan.state == PlanState.APPLIED:
        raise Conflict(_("The plan has been applied; it can no longer change."))
    with transaction.atomic():
        override = add_override(
            plan, predecessor=predecessor, successor=successor, procedure=procedure, sector=sector
        )
        audit.record(
            "reorg.override",
            actor=actor,
            subject_type="reorg_plan",
            subject_id=plan.pk,
            after={
                "predecessor": predecessor,
                "successor": successor,
                "procedure": procedure,
                "sector": sector,
            },
        )
    return override


def do_preview_plan(
    plan: ReorgPlan, *, actor: Actor, province_id: int | None = None
) -> dict[str, Any]:
    """Place every pending dossier afresh and count what would move."""
    with transaction.atomic():
        place(plan, refresh=True)
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
    progress: bool = False,
) -> ApplyResult:
    """Move the pending work (a province's part, if given); safe to run again or resume."""
    from haicap.reorg.tasks import notify_moved

    def notify(plan: ReorgPlan, first: int, last: int) -> None:
        notify_moved.defer(plan_id=plan.pk, first_placement=first, last_placement=last)

    result = carry_out(
        plan,
        actor_label=audit.actor_label(actor),
        actor_id=actor.pk if actor is not None and actor.is_authenticated else None,
        batch_size=batch_size,
        max_batches=max_batches,
        province_id=province_id,
        progress=progress,
        on_batch=notify,
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
