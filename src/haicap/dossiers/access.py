"""The one way to reach a dossier: what an officer sees, and what they may do to it.

An officer sees the dossiers of their units (received or resolved there), or of their whole
province. With ``archive``, they also see, read-only, the finished dossiers of the units
theirs succeeded (the predecessors' archive): a new commune serves a copy of a result its
old communes issued, a merged province the old provinces' work. Finished work keeps the unit
that did it, so the roles of the officer (held in today's units) give no action on it.
Missing and forbidden look the same (NotFound), so codes cannot be probed.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from haicap.core import audit
from haicap.core.actors import Actor
from haicap.core.errors import NotFound
from haicap.dossiers.models import FINAL_STATUSES, Dossier
from haicap.dossiers.workflow import ACTIONS, OFFER_ORDER, Side, blocked, may
from haicap.staff.access import scope_of
from haicap.units.lineage import predecessors

User = Actor


def _reach(units: set[int], provinces: set[int]) -> Q:
    reach = Q(pk__in=[])
    if units:
        reach |= Q(responsible_unit_id__in=sorted(units)) | Q(receiving_unit_id__in=sorted(units))
    if provinces:
        reach |= Q(province_id__in=sorted(provinces))
    return reach


def _archive(user: User) -> Q | None:
    """The finished dossiers of the units the officer's units and provinces succeeded."""
    scope = scope_of(user)
    old_units = predecessors(set(scope.units))
    old_provinces = predecessors(set(scope.provinces))
    if not (old_units or old_provinces):
        return None
    return Q(status__in=FINAL_STATUSES) & _reach(old_units, old_provinces)


def visible_dossiers(user: User, *, archive: bool = False) -> QuerySet[Dossier]:
    """Dossiers whose receiving or responsible unit is the officer's, or in their province;
    with ``archive``, the predecessors' finished dossiers too."""
    scope = scope_of(user)
    if scope.everything:
        return Dossier.objects.all()
    reach = _reach(set(scope.units), set(scope.provinces))
    old = _archive(user) if archive else None
    return Dossier.objects.filter(reach if old is None else reach | old)


def in_archive(user: User, dossier: Dossier) -> bool:
    """Whether the officer sees the dossier only as a predecessor's finished work."""
    scope = scope_of(user)
    return not scope.sees(
        (dossier.receiving_unit_id, dossier.responsible_unit_id), dossier.province_id
    )


def get_dossier_for(
    user: User, code: str, *, write: bool = False, audit_read: bool = True, ip: str | None = None
) -> Dossier:
    """The dossier ``code`` if the officer may see it (and act on it, with ``write``).

    Reading a dossier shows a citizen's personal data, so each read is audited.
    """
    dossier = (
        visible_dossiers(user, archive=True)
        .select_related("procedure", "receiving_centre", "responsible_unit", "receiving_unit")
        .filter(code=code)
        .first()
    )
    if dossier is None or (write and not actions_for(user, dossier)):
        _record_denied(user, code, write=write, ip=ip)
        raise NotFound(_("No dossier has code %(code)s.") % {"code": code})
    if audit_read:
        audit.record(
            "dossier.read",
            actor=user,
            subject_type="dossier",
            subject_id=dossier.code,
            unit_id=dossier.responsible_unit_id,
            after={"archive": True} if in_archive(user, dossier) else None,
            ip=ip,
        )
    return dossier


def _record_denied(user: User, code: str, *, write: bool, ip: str | None) -> None:
    """A refused or missing code: probing other units' dossiers leaves a trace."""
    found = Dossier.objects.filter(code=code).values_list("responsible_unit_id", flat=True).first()
    audit.record(
        "dossier.denied",
        actor=user,
        subject_type="dossier",
        subject_id=code,
        unit_id=found,
        after={"exists": found is not None, "write": write},
        ip=ip,
    )


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
