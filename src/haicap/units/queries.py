"""Reading the registry: every lookup by code takes a date, because codes were reused."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from haicap.core.errors import Invalid, NotFound
from haicap.core.text import search_key, search_terms
from haicap.units.models import AdminUnit, Succession, Tier

_TIER_ORDER = Case(
    When(tier=Tier.PROVINCE, then=Value(0)),
    When(tier=Tier.DISTRICT, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def today() -> dt.date:
    return timezone.localdate()


def unit_by_code(code: str, on: dt.date | None = None) -> AdminUnit:
    """The unit carrying ``code`` on ``on`` (today by default)."""
    day = on or today()
    unit = (
        AdminUnit.objects.in_force_on(day)
        .select_related("parent", "province")
        .filter(code=code)
        .first()
    )
    if unit is None:
        raise NotFound(
            _("No unit has code %(code)s on %(day)s.") % {"code": code, "day": day.isoformat()}
        )
    return unit


def units(
    *,
    on: dt.date | None = None,
    query: str = "",
    province: str | None = None,
    tier: str | None = None,
) -> QuerySet[AdminUnit]:
    """Units in force on ``on``, filtered; best matches first when searching."""
    day = on or today()
    found = AdminUnit.objects.in_force_on(day).select_related("parent", "province")
    if province:
        parent = unit_by_code(province, day)
        if parent.tier != Tier.PROVINCE:
            raise Invalid(_("%(code)s is not a province.") % {"code": province}, field="province")
        found = found.filter(province=parent).exclude(pk=parent.pk)
    if tier:
        found = found.filter(tier=tier)
    terms = search_terms(query)
    for term in terms:
        found = found.filter(search_key__contains=term)
    if terms:
        exact = search_key(query)
        return found.annotate(
            exact=Case(
                When(Q(search_key__startswith=exact) | Q(code=query.strip()), then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
            tier_order=_TIER_ORDER,
        ).order_by("exact", "tier_order", "name", "code")
    return found.annotate(tier_order=_TIER_ORDER).order_by("tier_order", "code")


def successions_from(unit: AdminUnit) -> list[Succession]:
    """What the unit became: default successor first."""
    return list(
        Succession.objects.filter(predecessor=unit)
        .select_related("successor", "successor__province")
        .order_by("-is_default", "successor__name")
    )


def successions_into(unit: AdminUnit) -> list[Succession]:
    """What the unit was formed from."""
    return list(
        Succession.objects.filter(successor=unit)
        .select_related("predecessor", "predecessor__parent")
        .order_by("predecessor__tier", "predecessor__name")
    )


@dataclass
class Resolution:
    """An old unit and the units in force on a date that it became, default first."""

    source: AdminUnit
    units: list[tuple[AdminUnit, bool]]


def resolve(code: str, on: dt.date | None = None, *, was: dt.date | None = None) -> Resolution:
    """The unit(s) in force on ``on`` that the unit with ``code`` became.

    ``was`` is a day the old code was in use. Without it the most recent unit with that code
    that ended before ``on`` is taken, else the one in force on ``on`` (which resolves to itself).
    """
    day = on or today()
    if was is not None:
        source = unit_by_code(code, was)
    else:
        versions = list(AdminUnit.objects.filter(code=code).order_by("-valid_from"))
        ended = [u for u in versions if u.valid_to is not None and u.valid_to < day]
        current = [u for u in versions if u.in_force_on(day)]
        if not versions:
            raise NotFound(_("No unit has ever had code %(code)s.") % {"code": code})
        if ended:
            source = max(ended, key=lambda u: u.valid_to or day)
        elif current:
            source = current[0]
        else:
            raise Invalid(
                _("Unit %(code)s was not yet in force on %(day)s.")
                % {"code": code, "day": day.isoformat()},
                field="on",
            )
    if source.valid_from is not None and source.valid_from > day:
        raise Invalid(
            _("%(name)s came into force after %(day)s.")
            % {"name": source.name, "day": day.isoformat()},
            field="on",
        )
    return Resolution(source=source, units=_follow(source, day))


def _follow(unit: AdminUnit, day: dt.date) -> list[tuple[AdminUnit, bool]]:
    """Walk successions until reaching units in force on ``day`` (several reforms deep)."""
    if unit.in_force_on(day):
        return [(unit, True)]
    reached: list[tuple[AdminUnit, bool]] = []
    seen: set[int] = set()
    frontier: list[tuple[AdminUnit, bool]] = [(unit, True)]
    while frontier:
        next_frontier: list[tuple[AdminUnit, bool]] = []
        for current, on_default_path in frontier:
            for succession in successions_from(current):
                successor = succession.successor
                if successor.pk in seen:
                    continue
                seen.add(successor.pk)
                default = on_default_path and succession.is_default
                if successor.in_force_on(day):
                    reached.append((successor, default))
                elif successor.valid_to is not None and successor.valid_to < day:
                    next_frontier.append((successor, default))
        frontier = next_frontier
    reached.sort(key=lambda pair: (not pair[1], pair[0].name))
    return reached


def former_communes(
    query: str, *, province: AdminUnit | None = None, limit: int = 10
) -> list[tuple[AdminUnit, list[Succession]]]:
    """Communes no longer in force whose name matches, each with what it became.

    Lets people who still name their old commune find the unit that serves them now.
    """
    terms = search_terms(query)
    if not terms:
        return []
    found = AdminUnit.objects.filter(tier=Tier.COMMUNE, valid_to__lt=today()).select_related(
        "parent"
    )
    for term in terms:
        found = found.filter(search_key__contains=term)
    if province is not None:
        found = found.filter(successions_out__successor__province=province).distinct()
    old = list(found.order_by("name", "code")[:limit])
    successions: dict[int, list[Succession]] = {unit.pk: [] for unit in old}
    for succession in (
        Succession.objects.filter(predecessor__in=old)
        .select_related("successor")
        .order_by("-is_default", "successor__name")
    ):
        successions[succession.predecessor_id].append(succession)
    return [(unit, successions[unit.pk]) for unit in old]
