"""Hand-overs: how each kind of pending work follows its unit through a reorganisation.

Each app registers a ``HandOver`` for every kind of pending work it holds (dossiers, desks,
role assignments, documents, reports, connection points, …) in its ``AppConfig.ready()``.
The reorganisation engine (``reorg/engine.py``) runs them all: it has each one place its
work, count it per old and new unit for the preview, and move it in set-based batches that
commit one at a time (so an interrupted run resumes), then lets each follow the units.

Hand-overs know plans only through this module and two SQL views the engine publishes:
``handover_succession (plan_id, predecessor_id, successor_id, is_default, kind)`` and
``handover_override (plan_id, predecessor_id, successor_id, procedure_id, sector)``.
Core imports no app, so the apps below the engine can register without importing it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise

from haicap.core.actors import Actor


@dataclass(frozen=True)
class PlanRef:
    """What a hand-over knows of a plan."""

    id: int
    name: str
    legal_basis: str
    effective_date: dt.date
    # Kinds of work the plan leaves where they are (e.g. staff re-assigned by hand).
    skip: frozenset[str] = frozenset()


@dataclass(frozen=True)
class MoveContext:
    """One run of a plan: who runs it, when, and which part of it."""

    plan: PlanRef
    at: dt.datetime
    actor: Actor
    # Only the part landing in this province (None: the whole plan).
    province_id: int | None
    # The plan's old units in that part (those whose default successor lies there).
    units: tuple[int, ...]


@dataclass(frozen=True)
class Column:
    """A figure a hand-over adds to each old→new unit row of the preview, and its total."""

    key: str
    label: str | Promise
    total_key: str
    total_label: str | Promise


@dataclass(frozen=True)
class Count:
    old_unit_id: int
    new_unit_id: int
    column: str
    count: int


@dataclass(frozen=True)
class Total:
    key: str
    label: str | Promise
    value: int
    alert: bool = False  # shown as a warning when not zero


@dataclass(frozen=True)
class Unplaced:
    """A piece of work the plan cannot place, never guessed: listed with its reason."""

    label: str
    unit_id: int
    reason: str
    url: str = ""


@dataclass
class HandOver:
    """One kind of pending work; subclasses override what their kind needs.

    The defaults fit work that moves with its unit as a whole, after the items (``follow``).
    """

    kind: str
    columns: Sequence[Column] = field(default_factory=tuple)
    # Lower runs first: the items a unit holds move before its staff and desks.
    order: int = 50

    def place(self, plan: PlanRef, *, refresh: bool) -> None:
        """Decide where each pending item goes (``refresh``: forget unmoved decisions first)."""

    def counts(self, plan: PlanRef, *, province_id: int | None) -> Iterable[Count]:
        """What would move, per old and new unit (not yet moved)."""
        return ()

    def totals(self, plan: PlanRef, *, province_id: int | None) -> Iterable[Total]:
        """Figures beyond the columns' sums (items already moved, items not placed)."""
        return ()

    def unplaced(self, plan: PlanRef, *, province_id: int | None, limit: int) -> list[Unplaced]:
        return []

    def details(self, plan: PlanRef, *, province_id: int | None) -> dict[str, Any]:
        """Further figures for the preview, JSON-serialisable, merged into its summary."""
        return {}

    def next_batch(
        self, plan: PlanRef, *, after: int, size: int, province_id: int | None
    ) -> list[int]:
        """Ids of the next items to move, after ``after`` in id order (keyset)."""
        return []

    def move(self, ids: list[int], ctx: MoveContext) -> int:
        """Move one batch inside the caller's transaction, history and audit included."""
        return 0

    def remaining(self, plan: PlanRef, *, province_id: int | None) -> int:
        """Placed items not moved yet."""
        return 0

    def follow(self, ctx: MoveContext) -> int:
        """Once every item has moved: what follows the units as a whole (idempotent)."""
        return 0

    def discard(self, plan: PlanRef) -> None:
        """Forget the plan's placements: it is deleted before anything moved."""


_REGISTRY: dict[str, HandOver] = {}


def register(handover: HandOver) -> None:
    """Called from an app's ready(); a kind registered again replaces the earlier one."""
    _REGISTRY[handover.kind] = handover


def registered() -> list[HandOver]:
    return sorted(_REGISTRY.values(), key=lambda handover: (handover.order, handover.kind))
