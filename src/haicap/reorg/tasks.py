"""Reorganisation jobs: applying a plan, and telling applicants their dossier moved."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from procrastinate import RetryStrategy
from procrastinate.contrib.django import app

from haicap.core.actors import SYSTEM
from haicap.core.sms import backend as sms_backend
from haicap.dossiers.documents import lookup_url
from haicap.dossiers.models import Dossier
from haicap.reorg.models import Placement, ReorgPlan


@app.task(
    name="haicap.reorg.notify_moved",
    queue="notifications",
    retry=RetryStrategy(max_attempts=6, exponential_wait=10),
)
def notify_moved(plan_id: int, first_placement: int, last_placement: int) -> int:
    plan = ReorgPlan.objects.get(pk=plan_id)
    placements = Placement.objects.filter(
        plan_id=plan_id,
        id__gte=first_placement,
        id__lte=last_placement,
        moved_at__isnull=False,
    ).values_list("dossier_id", "new_receiving__name", "old_receiving__name")
    names = {dossier: (new, old) for dossier, new, old in placements}
    sent = 0
    for dossier in Dossier.objects.filter(pk__in=names).exclude(
        applicant_email="", applicant_phone=""
    ):
        new, old = names[dossier.pk]
        text = (
            f"Hồ sơ {dossier.code} của Ông/Bà được chuyển từ {old} về {new} theo {plan.name}. "
            f"Thời hạn giải quyết giữ nguyên. Tra cứu: {lookup_url(dossier)}"
        )
        if dossier.applicant_email:
            send_mail(
                f"Hồ sơ {dossier.code} chuyển về {new}", text, None, [dossier.applicant_email]
            )
        if dossier.applicant_phone:
            sms_backend().send(dossier.applicant_phone, text)
        sent += 1
    return sent


@app.task(name="haicap.reorg.apply_plan", queue="reorg")
def apply_plan(plan_id: int, province_id: int | None, actor_id: int | None) -> dict[str, Any]:
    """A plan applied from the staff pages (the command runs it in the foreground)."""
    from haicap.reorg.actions import do_apply_plan

    plan = ReorgPlan.objects.get(pk=plan_id)
    # The officer who asked was authorised when the job was enqueued.
    actor = (get_user_model().objects.filter(pk=actor_id).first() if actor_id else None) or SYSTEM
    return do_apply_plan(
        plan, actor=actor, province_id=province_id, workers=settings.REORG_WORKERS
    ).as_dict()
