"""The service index of Decision 766/QĐ-TTg: 100 points in five groups (docs/reports.md).

Each criterion is a share, worth full marks at or above its threshold and proportionally
below. The split of a group's points between its criteria is ours
(docs/domain.md#the-service-index names the criteria and thresholds, not the split) and lives
in ``GROUPS`` below. A criterion haicap has no data for yet (synchronisation with the national
portal, re-use of digitised data) is reported as not measured, and its group's points are
shared among the measured criteria of the group. Citizen feedback comes from the feedback
app's reports (reports/feedback.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from haicap.procedures.models import FeeKind, OnlineLevel, Procedure
from haicap.reports.figures import Totals


@dataclass(frozen=True)
class Criterion:
    key: str
    points: float
    # Full marks at or above this share.
    threshold: float


GROUPS: dict[str, tuple[float, tuple[Criterion, ...]]] = {
    "transparency": (
        18,
        (
            Criterion("procedures_published_complete", 9, 1.0),
            Criterion("synced_to_national_portal", 9, 1.0),
        ),
    ),
    "progress": (20, (Criterion("finished_on_time", 20, 1.0),)),
    "online": (
        22,
        (
            Criterion("procedures_offered_online", 6, 0.8),
            Criterion("filed_online", 6, 0.5),
            Criterion("fee_procedures_payable_online", 5, 0.8),
            Criterion("paid_online", 5, 1.0),
        ),
    ),
    "digitisation": (
        22,
        (
            Criterion("e_results", 8, 1.0),
            Criterion("dossiers_digitised", 7, 0.8),
            Criterion("digitised_data_reused", 7, 0.8),
        ),
    ),
    "satisfaction": (
        18,
        (
            Criterion("feedback_handled_in_15_days", 8, 1.0),
            Criterion("not_overdue_nor_complained", 10, 0.9),
        ),
    ),
}


GROUP_LABELS = {
    "transparency": _("Transparency"),
    "progress": _("Progress"),
    "online": _("Online service"),
    "digitisation": _("Digitisation"),
    "satisfaction": _("Satisfaction"),
}
CRITERION_LABELS = {
    "procedures_published_complete": _("Procedures published complete"),
    "synced_to_national_portal": _("Dossiers synced to the national portal"),
    "finished_on_time": _("Finished by the legal deadline"),
    "procedures_offered_online": _("Procedures offered online"),
    "filed_online": _("Dossiers filed online"),
    "fee_procedures_payable_online": _("Fee-bearing procedures payable online"),
    "paid_online": _("Fees paid online"),
    "e_results": _("Electronic results issued"),
    "dossiers_digitised": _("Dossiers digitised"),
    "digitised_data_reused": _("Digitised data re-used"),
    "feedback_handled_in_15_days": _("Feedback handled within 15 working days"),
    "not_overdue_nor_complained": _("Neither overdue nor complained about"),
}


@dataclass(frozen=True)
class Catalogue:
    """Shares read off the procedure catalogue (the same for every unit)."""

    complete: float | None
    offered_online: float | None
    fee_payable_online: float | None


def catalogue() -> Catalogue:
    """One query: how complete and how online the active catalogue is."""
    counted = Procedure.objects.filter(is_active=True).aggregate(
        total=Count("id", distinct=True),
        complete=Count(
            "id",
            distinct=True,
            filter=Q(papers__isnull=False) & ~Q(legal_basis="") & ~Q(result_paper=""),
        ),
        online=Count("id", distinct=True, filter=~Q(online_level=OnlineLevel.NONE)),
        fee=Count("id", distinct=True, filter=~Q(fee_kind=FeeKind.FREE)),
        fee_online=Count(
            "id", distinct=True, filter=~Q(fee_kind=FeeKind.FREE) & Q(online_level=OnlineLevel.FULL)
        ),
    )

    def share(part: str, whole: str) -> float | None:
        return round(counted[part] / counted[whole], 4) if counted[whole] else None

    return Catalogue(
        complete=share("complete", "total"),
        offered_online=share("online", "total"),
        fee_payable_online=share("fee_online", "fee"),
    )


def shares(totals: Totals, facts: Catalogue) -> dict[str, float | None]:
    """Each criterion's share (None: not measured, or nothing to measure)."""
    not_overdue = None
    if totals.finished:
        overdue = totals.late / totals.finished
        # Complained: dossiers rated "not satisfied", and complaint reports about procedures.
        complained = (totals.rated_not_satisfied + totals.complaints) / totals.finished
        not_overdue = max(0.0, 1.0 - (overdue + complained))
    return {
        "procedures_published_complete": facts.complete,
        "synced_to_national_portal": None,
        "finished_on_time": totals.on_time_share,
        "procedures_offered_online": facts.offered_online,
        "filed_online": totals.online_share,
        "fee_procedures_payable_online": facts.fee_payable_online,
        "paid_online": totals.online_payment_share,
        "e_results": totals.e_result_share,
        "dossiers_digitised": totals.digitised_share,
        "digitised_data_reused": None,
        "feedback_handled_in_15_days": totals.feedback_share,
        "not_overdue_nor_complained": not_overdue,
    }


def score(totals: Totals, facts: Catalogue) -> dict[str, Any]:
    """``total`` and the five groups (points), with each criterion's share and points.

    A unit with no dossier in the period has no index (None), not the catalogue's score.
    """
    measured = shares(totals, facts)
    if not (totals.received or totals.finished or totals.feedback_due):
        measured = dict.fromkeys(measured)
    groups: dict[str, float | None] = {}
    criteria: dict[str, dict[str, Any]] = {}
    for name, (points, members) in GROUPS.items():
        earned = available = 0.0
        for criterion in members:
            share = measured[criterion.key]
            got = None
            if share is not None:
                got = criterion.points * min(1.0, share / criterion.threshold)
                earned += got
                available += criterion.points
            criteria[criterion.key] = {
                "group": name,
                "share": share,
                "points": None if got is None else round(got, 2),
                "max": criterion.points,
                "threshold": criterion.threshold,
            }
        groups[name] = round(points * earned / available, 2) if available else None
    scored = {name: value for name, value in groups.items() if value is not None}
    possible = sum(GROUPS[name][0] for name in scored)
    total = round(100 * sum(scored.values()) / possible, 2) if possible else None
    return {"total": total, **groups, "criteria": criteria}
