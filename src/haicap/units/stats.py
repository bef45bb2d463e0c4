"""Counts of the registry, for `haicap units stats` and the unit browser."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Count, Q

from haicap.units.models import AdminUnit, Succession, Tier


def _period(valid_from: Any, valid_to: Any) -> str:
    start = valid_from.isoformat() if valid_from else ""
    end = valid_to.isoformat() if valid_to else ""
    return f"{start}..{end}"


def registry_stats() -> dict[str, Any]:
    """Units by period of validity and tier, successions by kind, and counts per province."""
    by_period: dict[str, dict[str, int]] = defaultdict(dict)
    for row in (
        AdminUnit.objects.values("valid_from", "valid_to", "tier")
        .annotate(n=Count("id"))
        .order_by("valid_from", "tier")
    ):
        by_period[_period(row["valid_from"], row["valid_to"])][row["tier"]] = row["n"]
    successions = {
        row["kind"]: row["n"]
        for row in Succession.objects.values("kind").annotate(n=Count("id")).order_by("kind")
    }
    split_predecessors = (
        Succession.objects.values("predecessor").annotate(n=Count("id")).filter(n__gt=1).count()
    )
    provinces = [
        {
            "code": row["code"],
            "name": row["name"],
            "period": _period(row["valid_from"], row["valid_to"]),
            "districts": row["districts"],
            "communes": row["communes"],
        }
        for row in AdminUnit.objects.filter(tier=Tier.PROVINCE)
        .annotate(
            districts=Count("province_units", filter=Q(province_units__tier=Tier.DISTRICT)),
            communes=Count("province_units", filter=Q(province_units__tier=Tier.COMMUNE)),
        )
        .order_by("valid_from", "code")
        .values("code", "name", "valid_from", "valid_to", "districts", "communes")
    ]
    return {
        "units": dict(by_period),
        "successions": successions,
        "predecessors_split": split_predecessors,
        "provinces": provinces,
    }
