"""The one way to reach a dossier: what an officer sees, and what they may do to it.

Missing and forbidden look the same (NotFound), so codes cannot be probed.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from haicap.core import audit
from haicap.core.actors import Actor
from haicap.core.errors import NotFound
from haicap.dossiers.models import Dossier
from haicap.dossiers.workflow import ACTIONS, OFFER_ORDER, Side, blocked, may
from haicap.staff.access import scope_of

User = Actor


def visible_dossiers(user: User) -> QuerySet[Dossier]:
    """Dossiers whose receiving or responsible unit is the officer's, or in their province."""
    scope = scope_of(user)
    if scope.everything:
        return Dossier.objects.all()
    reach = Q(pk__in=[])
    if scope.units:
        units = list(scope.units)
        reach |= Q(responsible_unit_id__in=units) | Q(receiving_unit_id__in=units)
    if scope.provinces:
        reach |= Q(province_id__in=list(scope.provinces))
    return Dossier.objects.filter(reach)


def get_dossier_for(
    user: User, code: str, *, write: bool = False, audit_read: bool = True, ip: str | None = None
) -> Dossier:
    """The dossier ``code`` if the officer may see it (and act on it, with ``write``).

    Reading a dossier shows a citizen's personal data, so each read is audited.
    """
    dossier = (
        visible_dossiers(user)
        .select_related("procedure", "receiving_centre", "responsible_unit", "receiving_unit")
        .filter(code=code)
        .first()
    )
    if dossier is None or (write and not actions_for(user, dossier)):
        raise NotFound(_("No dossier has code %(code)s.") % {"code": code})
    if audit_read:
        audit.record(
            "dossier.read",
            actor=user,
            subject_type="dossier",
            subject_id=dossier.code,
            unit_id=dossier.responsible_unit_id,
            ip=ip,
        )
    return dossier


def roles_on(user: User, dossier: Dossier, side: Side) -> frozenset[str]:
    scope = scope_of(user)
    receiving = scope.roles_for(dossier.receiving_unit_id, dossier.province_id)
    responsible = scope.roles_for(dossier.responsible_unit_id, dossier.province_id)
    if side is Side.RECEIVING:
        return receiving
    if side is Side.RESPONSIBLE:
        return responsible
    return receiving | responsible


def may_act(user: User, dossier: Dossier, action: str) -> bool:
    return may(roles_on(user, dossier, ACTIONS[action].side), action)


def actions_for(user: User, dossier: Dossier) -> list[str]:
    """The actions this officer may take on the dossier now."""
    return [
        name
        for name in OFFER_ORDER
        if blocked(dossier, name) is None and may_act(user, dossier, name)
    ]
