"""Reading the catalogue."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from haicap.core.errors import NotFound
from haicap.core.text import search_terms
from haicap.procedures.models import Procedure, ProcessStep, RequiredPaper


def procedures(
    *,
    query: str = "",
    sector: str | None = None,
    tier: str | None = None,
    online: str | None = None,
) -> QuerySet[Procedure]:
    found = Procedure.objects.filter(is_active=True)
    for term in search_terms(query):
        found = found.filter(search_key__contains=term)
    if sector:
        found = found.filter(sector=sector)
    if tier:
        found = found.filter(competent_tier=tier)
    if online:
        found = found.filter(online_level=online)
    return found.order_by("competent_tier", "sector", "name")


def procedure_by_code(code: str) -> Procedure:
    procedure = (
        Procedure.objects.filter(code=code, is_active=True)
        .prefetch_related(
            Prefetch("papers", queryset=RequiredPaper.objects.order_by("order", "id")),
            Prefetch("steps", queryset=ProcessStep.objects.order_by("order", "id")),
        )
        .first()
    )
    if procedure is None:
        raise NotFound(_("No procedure has code %(code)s.") % {"code": code})
    return procedure
