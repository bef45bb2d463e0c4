"""Results: ready at the desk, returned to the applicant, and rated by them."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from haicap.core import audit
from haicap.core.actors import Actor
from haicap.core.errors import Conflict, Invalid
from haicap.dossiers import papers, result_signing
from haicap.dossiers.actions.transition import transition
from haicap.dossiers.models import Dossier, PaperStage, Rating, Satisfaction, Status
from haicap.dossiers.workflow import blocked


def do_mark_result_ready(
    dossier: Dossier,
    *,
    actor: Actor,
    note: str = "",
    uploads: list[papers.Upload] | None = None,
    version: int | None = None,
    at: dt.datetime | None = None,
) -> Dossier:
    """The result (or the written refusal) is ready at the result desk: processing ends."""
    uploads = uploads or []
    electronic_result = bool(uploads)  # the officer's; the signed notice is added below
    signed: list[result_signing.SignedResult] = []
    if settings.RESULT_SIGNING and dossier.outcome and not blocked(dossier, "mark_result_ready"):
        # Signed before the transaction: pyHanko and WeasyPrint take tens of milliseconds.
        signed = result_signing.signed_results(dossier, uploads, note.strip())
        uploads = [*(r.upload for r in signed), *(u for u in uploads if not _is_pdf(u))]
    with papers.stored(uploads) as names, transaction.atomic():
        updated = transition(
            dossier,
            "mark_result_ready",
            lambda d, now: {
                "status": Status.PROCESSED,
                "finished_at": now,
                "result_note": note.strip(),
            },
            actor=actor,
            version=version,
            at=at,
            note=note.strip(),
            data={"electronic_result": electronic_result},
        )
        made = papers.attach(
            updated, uploads, names, stage=PaperStage.RESULT, by=audit.actor_label(actor)
        )
        result_signing.record_signatures(list(made[: len(signed)]), signed)
    return updated


def _is_pdf(upload: papers.Upload) -> bool:
    return upload.content_type == "application/pdf"


def do_return_result(
    dossier: Dossier, *, actor: Actor, version: int | None = None, at: dt.datetime | None = None
) -> Dossier:
    return transition(
        dossier,
        "return_result",
        lambda d, now: {"status": Status.RETURNED, "returned_at": now},
        actor=actor,
        version=version,
        at=at,
    )


def do_rate_dossier(dossier: Dossier, *, score: int, comment: str, actor: Actor) -> Rating:
    """Once the result is returned, the citizen rates the service, once."""
    if dossier.status != Status.RETURNED:
        raise Conflict(_("A dossier can be rated once its result has been returned."))
    if score not in Satisfaction.values:
        raise Invalid(
            _("The rating is 1 (not satisfied), 2 (satisfied) or 3 (very satisfied)."),
            field="score",
        )
    try:
        with transaction.atomic():
            # Lock the dossier so a second rating finds the first rather than failing on the
            # unique index (a failed INSERT would log the citizen's comment).
            Dossier.objects.select_for_update().filter(pk=dossier.pk).first()
            if Rating.objects.filter(dossier=dossier).exists():
                raise Conflict(_("This dossier has already been rated."), code="already_rated")
            rating = Rating.objects.create(
                dossier=dossier, score=score, comment=comment.strip()[:2000]
            )
            audit.record(
                "dossier.rate",
                actor=actor,
                subject_type="dossier",
                subject_id=dossier.code,
                unit_id=dossier.responsible_unit_id,
                after={"score": score},
            )
    except IntegrityError:
        raise Conflict(_("This dossier has already been rated."), code="already_rated") from None
    return rating
