"""What every action on a document shares: locking, role checks, the timeline and audit
rows, attaching files, the search text, and telling the sender how its document fares."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone
from django.utils.translation import gettext as _

from haicap.core import audit
from haicap.core.actors import Actor, person_id
from haicap.core.audit import actor_label
from haicap.core.errors import Conflict, Forbidden, Invalid
from haicap.documents import access, search
from haicap.documents.files import Upload, pdf_text
from haicap.documents.models import Attachment, Delivery, Document, DocumentEvent, Source

# edXML status codes reported back to a sender (as the national exchange uses them).
STATUS_TEXT = {
    "01": "Đã đến",
    "02": "Từ chối tiếp nhận",
    "03": "Đã tiếp nhận",
    "04": "Phân công",
    "05": "Đang xử lý",
    "06": "Hoàn thành",
}
# Dates on documents: none before the Republic, none in the future.
FIRST_DAY = dt.date(1945, 9, 2)
MAX_NUMBER = 9_999_999


def locked(document: Document) -> Document:
    """The document's row, locked for the rest of the transaction, read fresh."""
    return (
        Document.objects.select_for_update(of=("self",))
        .select_related("agency", "agency__unit", "register")
        .get(pk=document.pk)
    )


def need_role(actor: Actor, document: Document, *roles: str, what: str) -> None:
    if not access.roles_in(actor, document.agency_id) & set(roles):
        raise Forbidden(
            _("Only a %(roles)s of %(agency)s may %(what)s.")
            % {"roles": " / ".join(roles), "agency": document.agency.name, "what": what}
        )


def need_status(document: Document, *statuses: str, what: str) -> None:
    if document.status not in statuses:
        raise Conflict(
            _("This document is %(status)s: it cannot %(what)s now.")
            % {"status": document.get_status_display().lower(), "what": what},
            code="wrong_status",
        )


def check_version(document: Document, version: int | None) -> None:
    if version is not None and version != document.version:
        raise Conflict(
            _("Someone changed this document meanwhile; reload it and try again."),
            code="stale_version",
        )


def clean_text(value: str, field: str, *, limit: int, required: bool = False) -> str:
    if "\x00" in value:
        raise Invalid(_("The text holds a NUL character."), field=field)
    value = " ".join(value.split())
    if required and not value:
        raise Invalid(_("This field is required."), field=field)
    if len(value) > limit:
        raise Invalid(
            _("At most %(count)d characters.") % {"count": limit},
            field=field,
        )
    return value


def clean_date(day: dt.date | None, field: str) -> dt.date | None:
    if day is not None and not FIRST_DAY <= day <= timezone.localdate():
        raise Invalid(
            _("A date between %(first)s and today.") % {"first": FIRST_DAY.strftime("%d/%m/%Y")},
            field=field,
        )
    return day


def record(
    document: Document,
    action: str,
    *,
    actor: Actor,
    note: str = "",
    data: dict[str, Any] | None = None,
    before: dict[str, Any] | None = None,
) -> DocumentEvent:
    """The timeline event and the audit row of one action, in the caller's transaction."""
    event = DocumentEvent.objects.create(
        document=document,
        action=action,
        actor_id=person_id(actor),
        actor_label=actor_label(actor),
        note=note[:1000],
        data=data or {},
    )
    audit.record(
        f"document.{action}",
        actor=actor,
        subject_type="document",
        subject_id=document.pk,
        unit_id=document.agency.unit_id,
        before=before,
        after={"status": document.status, **(data or {})},
    )
    return event


def bump(document: Document, fields: Iterable[str]) -> None:
    document.version += 1
    document.save(update_fields=[*fields, "version"])


def attach(
    document: Document, uploads: list[Upload], names: list[str], *, actor: Actor, main: bool
) -> list[Attachment]:
    """New files of the document; a new main text is the next version, the old ones kept."""
    version = 1 + max(
        document.attachments.filter(is_main=True).values_list("version", flat=True), default=0
    )
    made = []
    for upload, name in zip(uploads, names, strict=True):
        made.append(
            Attachment.objects.create(
                document=document,
                name=upload.name,
                file=name,
                content_type=upload.content_type,
                size=len(upload.content),
                sha256=upload.sha256,
                is_main=main,
                version=version if main else 1,
                text=pdf_text(upload.content) if upload.is_pdf else "",
                uploaded_by=actor_label(actor),
            )
        )
        main = False  # only the first file of a batch is the main text
    return made


def reindex(document: Document) -> None:
    texts = document.attachments.values_list("text", flat=True)
    document.search_text = search.search_text(document, texts)
    document.save(update_fields=["search_text"])


def person_name(user: Actor | None) -> str:
    """A person's full name (their username without one); "" for the system."""
    if not isinstance(user, AbstractBaseUser):
        return ""
    full = getattr(user, "get_full_name", lambda: "")()
    return str(full or user.get_username())[:50]


def report_status(document: Document, code: str, *, actor: Actor, text: str = "") -> None:
    """Tell the sender of an incoming document what became of it (edXML StatusCode).

    A sender on haicap sees it on its delivery at once; a sender reached through the
    exchange gets a signed status message in the outbox.
    """
    words = text or STATUS_TEXT[code]
    now = timezone.now()
    if document.origin_id is not None:
        delivery = (
            Delivery.objects.select_related("document", "document__agency")
            .filter(copy=document)
            .first()
        )
        if delivery is not None:
            Delivery.objects.filter(pk=delivery.pk).update(
                status_code=code, status_text=words[:500], status_at=now
            )
            record(
                delivery.document,
                "status",
                actor=actor,
                note=words,
                data={"code": code, "recipient": document.agency.code},
            )
    elif document.source == Source.PACKAGE:
        from haicap.documents.exchange import queue_status

        queue_status(document, code, words, actor=actor)
