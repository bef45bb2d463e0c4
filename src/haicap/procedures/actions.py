"""Every change to the catalogue: seeding it, and a province's edits of a procedure, its
required papers and its steps. Each runs in one transaction with its audit row."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.forms import BaseModelFormSet

from haicap.core import audit
from haicap.core.actors import Actor
from haicap.procedures.catalogue import seed_catalogue
from haicap.procedures.models import Procedure


def do_seed_catalogue(*, actor: Actor) -> int:
    """Add the procedures of the built-in catalogue whose code is missing."""
    with transaction.atomic():
        added = seed_catalogue()
        if added:
            audit.record(
                "procedures.seed", actor=actor, subject_type="catalogue", after={"added": added}
            )
    return added


def _values(procedure: Procedure, fields: list[str]) -> dict[str, str]:
    return {name: str(getattr(procedure, name)) for name in fields}


def do_save_procedure(
    procedure: Procedure, *, changed: list[str], created: bool, actor: Actor
) -> Procedure:
    """Save a procedure as edited (fees and deadlines change what dossiers owe and when)."""
    with transaction.atomic():
        before = (
            None
            if created
            else _values(Procedure.objects.select_for_update().get(pk=procedure.pk), changed)
        )
        procedure.save()
        audit.record(
            "procedures.create" if created else "procedures.update",
            actor=actor,
            subject_type="procedure",
            subject_id=procedure.code,
            before=before,
            after=_values(procedure, changed),
        )
    return procedure


def do_save_procedure_parts(
    procedure: Procedure, formset: BaseModelFormSet[Any, Any], *, actor: Actor
) -> None:
    """Save the edited required papers or steps of a procedure (an admin inline)."""
    if not formset.has_changed():
        return
    with transaction.atomic():
        saved = formset.save()
        audit.record(
            "procedures.parts",
            actor=actor,
            subject_type="procedure",
            subject_id=procedure.code,
            after={
                "model": formset.model._meta.model_name,
                "saved": [str(item) for item in saved],
                "deleted": [str(item) for item in formset.deleted_objects],
            },
        )
