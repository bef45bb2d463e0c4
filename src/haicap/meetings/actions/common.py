"""What the meetings actions share: cleaning text, checking versions and roles, the audit row."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from haicap.core import audit
from haicap.core.actors import Actor
from haicap.core.errors import Conflict, Forbidden, Invalid
from haicap.meetings.access import can_run, speaks_for
from haicap.meetings.models import ConnectionPoint, Meeting


def clean_text(
    value: str, field: str, *, limit: int, required: bool = False, lines: bool = False
) -> str:
    """Trimmed text without NUL bytes, at most ``limit`` characters (``lines``: keep breaks)."""
    if "\x00" in value:
        raise Invalid(_("The text holds a NUL character."), field=field)
    if lines:
        value = "\n".join(" ".join(line.split()) for line in value.strip().splitlines())
    else:
        value = " ".join(value.split())
    if required and not value:
        raise Invalid(_("This field is required."), field=field)
    if len(value) > limit:
        raise Invalid(_("At most %(count)d characters.") % {"count": limit}, field=field)
    return value


def check_version(meeting: Meeting, version: int | None) -> None:
    if version is not None and version != meeting.version:
        raise Conflict(
            _("Someone changed this meeting meanwhile; reload it and try again."),
            code="stale_version",
        )


def need_organiser(actor: Actor, meeting: Meeting) -> None:
    if not can_run(actor, meeting):
        raise Forbidden(_("Only the province's organisers may do this for the meeting."))


def need_point(actor: Actor, point: ConnectionPoint) -> None:
    if not speaks_for(actor, point):
        raise Forbidden(_("Only the officers of %(point)s may do this.") % {"point": point.name})


def need_status(meeting: Meeting, *statuses: str, what: str) -> None:
    if meeting.status not in statuses:
        raise Conflict(
            _("This meeting is %(status)s: it cannot %(what)s now.")
            % {"status": meeting.get_status_display().lower(), "what": what},
            code="wrong_status",
        )


def bump(meeting: Meeting, fields: list[str]) -> None:
    meeting.version += 1
    meeting.save(update_fields=[*fields, "version"])


def record(
    verb: str,
    meeting: Meeting,
    *,
    actor: Actor,
    after: dict[str, Any] | None = None,
    before: dict[str, Any] | None = None,
) -> None:
    audit.record(
        f"meetings.{verb}",
        actor=actor,
        subject_type="meeting",
        subject_id=meeting.pk,
        unit_id=meeting.province_id,
        before=before,
        after=after,
    )


def locked(meeting: Meeting) -> Meeting:
    return (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("host", "host__unit", "province")
        .get(pk=meeting.pk)
    )
