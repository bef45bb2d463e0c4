"""Who sees which documents: a document belongs to its agency, and only that agency's officers
see it; a restricted one only the people named on it. Missing and forbidden look the same.

An officer's agencies: the People's Committee of each unit where they hold a role of the
document office (clerk, leader, specialist, or auditor, who reads), and the agencies where
they hold one directly (``AgencyRole``, given by `haicap staff add --agency`).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from haicap.core import audit
from haicap.core.actors import Actor, is_system, person_id
from haicap.core.errors import NotFound
from haicap.documents.models import Agency, AgencyKind, AgencyRole, Document
from haicap.staff.access import scope_of
from haicap.staff.models import Role

CLERK, LEADER, SPECIALIST = Role.CLERK, Role.LEADER, Role.SPECIALIST
DOCUMENT_ROLES = frozenset({Role.CLERK, Role.LEADER, Role.SPECIALIST, Role.AUDITOR})
_CACHE_ATTRIBUTE = "_haicap_agency_roles"

# None: every agency with every role (a superuser, or the platform itself).
AgencyRoles = dict[int, frozenset[str]] | None


def agency_roles(user: Actor) -> AgencyRoles:
    """Agency id → the document roles the user holds there; computed once per request."""
    if is_system(user):
        return None
    if not user.is_authenticated:
        return {}
    if hasattr(user, _CACHE_ATTRIBUTE):
        cached: AgencyRoles = getattr(user, _CACHE_ATTRIBUTE)
        return cached
    scope = scope_of(user)
    found: AgencyRoles
    if scope.everything:
        found = None
    else:
        by_unit = {
            unit: roles & DOCUMENT_ROLES
            for unit, roles in (*scope.units.items(), *scope.provinces.items())
            if roles & DOCUMENT_ROLES
        }
        roles: dict[int, set[str]] = {}
        committees = Agency.objects.filter(
            unit_id__in=list(by_unit), kind=AgencyKind.PEOPLES_COMMITTEE
        ).values_list("id", "unit_id")
        for agency_id, unit_id in committees:
            roles.setdefault(agency_id, set()).update(by_unit[unit_id])
        direct = AgencyRole.objects.filter(user_id=user.pk, is_active=True).values_list(
            "agency_id", "role"
        )
        for agency_id, role in direct:
            roles.setdefault(agency_id, set()).add(role)
        found = {agency: frozenset(held) for agency, held in roles.items()}
    setattr(user, _CACHE_ATTRIBUTE, found)
    return found


def forget_agency_roles(user: Actor) -> None:
    if hasattr(user, _CACHE_ATTRIBUTE):
        delattr(user, _CACHE_ATTRIBUTE)


def roles_in(user: Actor, agency_id: int) -> frozenset[str]:
    held = agency_roles(user)
    if held is None:
        return frozenset(DOCUMENT_ROLES)
    return held.get(agency_id, frozenset())


def is_document_officer(user: Actor) -> bool:
    held = agency_roles(user)
    return held is None or bool(held)


def my_agencies(user: Actor) -> QuerySet[Agency]:
    held = agency_roles(user)
    found = Agency.objects.select_related("unit")
    if held is None:
        return found.filter(valid_to__isnull=True).order_by("code")
    return found.filter(pk__in=list(held)).order_by("kind", "code")


def visible_documents(user: Actor) -> QuerySet[Document]:
    """Documents of the user's agencies; a restricted one only to the people named on it."""
    held = agency_roles(user)
    if held is None:
        return Document.objects.all()
    found = Document.objects.filter(agency_id__in=list(held))
    uid = person_id(user)
    named = (
        Q(readers__id=uid) | Q(drafter_id=uid) | Q(lead_id=uid) | Q(handlers__user_id=uid)
        if uid
        else Q(pk__in=[])
    )
    restricted_ids = Document.objects.filter(restricted=True).filter(named).values("id")
    return found.filter(Q(restricted=False) | Q(pk__in=restricted_ids))


def get_document_for(
    user: Actor, document_id: int, *, verb: str = "document.read", ip: str | None = None
) -> Document:
    """The document if the user may see it; each view, print or download is audited."""
    document = (
        visible_documents(user)
        .select_related("agency", "agency__unit", "register", "sender_agency", "lead")
        .filter(pk=document_id)
        .first()
    )
    if document is None:
        raise NotFound(_("No document %(id)s.") % {"id": document_id})
    if verb:
        audit.record(
            verb,
            actor=user,
            subject_type="document",
            subject_id=document.pk,
            unit_id=document.agency.unit_id,
            ip=ip,
        )
    return document


def get_agency_for(user: Actor, code: str) -> Agency:
    """One of the user's agencies by code (404 for any other)."""
    agency = my_agencies(user).filter(code=code.strip().upper()).order_by("-id").first()
    if agency is None:
        raise NotFound(_("No agency has code %(code)s.") % {"code": code[:40]}, field="agency")
    return agency
