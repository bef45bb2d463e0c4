"""Who sees which meetings and points, and who runs them (docs/meetings.md#access).

- A provincial officer (any role at the province itself) sees the province's meetings and
  points; an organiser (provincial administrator, leader or clerk at the province) runs them.
- A commune officer sees the meetings their commune's point hosts or is invited to, and their
  own point; they answer the roll-call, ask to speak and report on conclusions for it.
- The national administrator sees and runs everything. Missing and forbidden look the same.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from haicap.core.actors import Actor, is_system
from haicap.core.errors import NotFound
from haicap.meetings.models import Conclusion, ConnectionPoint, Invitation, Meeting
from haicap.staff.access import scope_of
from haicap.staff.models import Role

ORGANISER_ROLES = frozenset({Role.PROVINCE_ADMIN, Role.LEADER, Role.CLERK})


def organised_provinces(user: Actor) -> set[int] | None:
    """Provinces whose meetings the user runs; None: every province."""
    if is_system(user):
        return None
    scope = scope_of(user)
    if scope.everything:
        return None
    return {p for p, roles in scope.provinces.items() if roles & ORGANISER_ROLES}


def is_organiser(user: Actor) -> bool:
    provinces = organised_provinces(user)
    return provinces is None or bool(provinces)


def can_run(user: Actor, meeting: Meeting) -> bool:
    provinces = organised_provinces(user)
    return provinces is None or meeting.province_id in provinces


def can_run_province(user: Actor, province_id: int) -> bool:
    provinces = organised_provinces(user)
    return provinces is None or province_id in provinces


def _point_filter(user: Actor, prefix: str = "") -> Q | None:
    """The points the user sees, as a filter (None: all)."""
    if is_system(user):
        return None
    scope = scope_of(user)
    if scope.everything:
        return None
    return Q(**{f"{prefix}province_id__in": list(scope.provinces)}) | Q(
        **{f"{prefix}unit_id__in": list(scope.units)}
    )


def visible_points(user: Actor) -> QuerySet[ConnectionPoint]:
    found = ConnectionPoint.objects.all()
    where = _point_filter(user)
    return found if where is None else found.filter(where)


def speaks_for(user: Actor, point: ConnectionPoint) -> bool:
    """Whether the user answers for this point (its unit's officers, or the organisers)."""
    scope = scope_of(user) if not is_system(user) else None
    return (
        scope is None
        or scope.everything
        or point.unit_id in scope.units
        or can_run_province(user, point.province_id)
    )


def visible_meetings(user: Actor) -> QuerySet[Meeting]:
    """Meetings of the user's provinces, and those their points host or are invited to."""
    if is_system(user) or scope_of(user).everything:
        return Meeting.objects.all()
    scope = scope_of(user)
    if not scope.is_staff:
        return Meeting.objects.none()
    own_points = ConnectionPoint.objects.filter(unit_id__in=list(scope.units)).values("id")
    invited = Invitation.objects.filter(point_id__in=own_points).values("meeting_id")
    return Meeting.objects.filter(
        Q(province_id__in=list(scope.provinces)) | Q(host_id__in=own_points) | Q(pk__in=invited)
    )


def get_meeting_for(user: Actor, meeting_id: int) -> Meeting:
    meeting = (
        visible_meetings(user)
        .select_related("host", "host__unit", "province", "rehearsal_of")
        .filter(pk=meeting_id)
        .first()
    )
    if meeting is None:
        raise NotFound(_("No meeting %(id)s.") % {"id": meeting_id})
    return meeting


def get_point_for(user: Actor, point_id: int) -> ConnectionPoint:
    point = visible_points(user).select_related("unit", "province").filter(pk=point_id).first()
    if point is None:
        raise NotFound(_("No connection point %(id)s.") % {"id": point_id})
    return point


def get_invitation_for(user: Actor, meeting: Meeting, point_id: int) -> Invitation:
    """The meeting's invitation of that point, if the user sees the point (404 otherwise)."""
    invitation = (
        meeting.invitations.select_related("point", "point__unit").filter(point_id=point_id).first()
    )
    if invitation is None or not (
        can_run(user, meeting) or visible_points(user).filter(pk=point_id).exists()
    ):
        raise NotFound(_("That point is not invited to this meeting."))
    return invitation


def invitation_by_token(meeting_id: int, token: str) -> Invitation:
    """The invitation a join link names; a token of another meeting is refused (404)."""
    invitation = (
        Invitation.objects.select_related("meeting", "point", "point__unit")
        .filter(token=token[:64], meeting_id=meeting_id)
        .first()
    )
    if invitation is None:
        raise NotFound(_("This join link is not valid for this meeting."))
    return invitation


def visible_conclusions(user: Actor) -> QuerySet[Conclusion]:
    """Conclusions of visible meetings, and those assigned to the user's units."""
    if is_system(user) or scope_of(user).everything:
        return Conclusion.objects.all()
    scope = scope_of(user)
    return Conclusion.objects.filter(
        Q(meeting__in=visible_meetings(user))
        | Q(unit_id__in=list(scope.units))
        | Q(unit__province_id__in=list(scope.provinces))
    )
