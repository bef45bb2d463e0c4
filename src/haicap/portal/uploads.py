"""Files chosen on a filing form that came back with errors: kept (checked) so the citizen
does not choose them again, then moved to the draft once the form is complete."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from haicap.core.actors import Actor
from haicap.dossiers.papers import Upload
from haicap.portal.models import Draft, DraftPaper, PendingUpload
from haicap.procedures.models import Procedure

# Bound what one visitor can park on the server between tries, and for how long.
MAX_PENDING = 20
KEPT_FOR = dt.timedelta(days=2)


def _owner(user: Actor | AnonymousUser | None) -> int | None:
    return user.pk if user is not None and user.is_authenticated else None


def pending_for(
    user: Actor | AnonymousUser | None, session_key: str, procedure: Procedure
) -> list[PendingUpload]:
    found = PendingUpload.objects.filter(procedure=procedure)
    owner = _owner(user)
    if owner is not None:
        found = found.filter(user_id=owner)
    elif session_key:
        found = found.filter(user__isnull=True, session_key=session_key)
    else:
        return []
    return list(found.select_related("required_paper").order_by("created_at", "id"))


def do_keep_pending_uploads(
    uploads: list[tuple[int | None, Upload]],
    *,
    procedure: Procedure,
    user: Actor | AnonymousUser | None,
    session_key: str,
) -> list[PendingUpload]:
    """Keep the checked files of a try that failed; the oldest go past MAX_PENDING."""
    owner = _owner(user)
    kept = []
    with transaction.atomic():
        for paper_id, upload in uploads:
            pending = PendingUpload(
                user_id=owner,
                session_key="" if owner is not None else session_key,
                procedure=procedure,
                required_paper_id=paper_id,
                name=upload.name,
                original_name=upload.original_name,
                content_type=upload.content_type,
                size=len(upload.content),
                sha256=upload.sha256,
            )
            pending.file.save(f"p{upload.extension}", ContentFile(upload.content), save=False)
            pending.save()
            kept.append(pending)
        every = pending_for(user, session_key, procedure)
        stale = PendingUpload.objects.filter(created_at__lt=timezone.now() - KEPT_FOR)
        for old in [*every[: max(0, len(every) - MAX_PENDING)], *stale[:100]]:
            old.file.delete(save=False)
            old.delete()
    return kept


def do_discard_pending_upload(
    pending_id: int, *, procedure: Procedure, user: Actor | AnonymousUser | None, session_key: str
) -> None:
    """The citizen removed a file they had chosen."""
    for pending in pending_for(user, session_key, procedure):
        if pending.pk == pending_id:
            pending.file.delete(save=False)
            pending.delete()


def move_to_draft(pending: list[PendingUpload], draft: Draft) -> None:
    """Inside do_save_draft's transaction: the kept files become the draft's papers."""
    for item in pending:
        DraftPaper.objects.create(
            draft=draft,
            required_paper_id=item.required_paper_id,
            name=item.name,
            file=item.file.name,
            original_name=item.original_name,
            content_type=item.content_type,
            size=item.size,
        )
        item.delete()
