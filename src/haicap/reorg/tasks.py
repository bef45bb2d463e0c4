"""Reorganisation jobs: applying a plan in the background (the command applies in the
foreground). Applicants are told of their moved dossiers by the dossiers app's own job."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from procrastinate.contrib.django import app

from haicap.core.actors import SYSTEM
from haicap.reorg.actions import do_apply_plan
from haicap.reorg.models import ReorgPlan

APPLY_PLAN = "haicap.reorg.apply_plan"


@app.task(name=APPLY_PLAN, queue="reorg")
def apply_plan(plan_id: int, province_id: int | None, actor_id: int | None) -> dict[str, Any]:
    plan = ReorgPlan.objects.get(pk=plan_id)
    # The officer who asked was authorised when the job was enqueued.
    actor = (get_user_model().objects.filter(pk=actor_id).first() if actor_id else None) or SYSTEM
    return do_apply_plan(
        plan, actor=actor, province_id=province_id, workers=settings.REORG_WORKERS
    ).as_dict()
