"""Every change to the catalogue: seeding it, a province's edits of a procedure, its
required papers and its steps, and new versions of its e-form. Each runs in one transaction
with its audit row."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.forms import BaseModelFormSet
from django.utils.translation import gettext as _

from haicap.core import audit
from haicap.core.actors import Actor
from haicap.core.errors import Conflict, Invalid
from haicap.procedures.catalogue import seed_catalogue
from haicap.procedures.forms_data import current_form, latest_versions, shipped_forms
from haicap.procedures.forms_schema import FormDefinition
from haicap.procedures.models import Procedure, ProcedureForm


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


# E-forms (docs/procedures.md#e-forms)


def _paper_rules(procedure: Procedure, rules: list[dict[str, Any]]) -> list[str]:
    """Set the papers' e-form, desk and scan flags from a form file; the names changed."""
    changed = []
    for rule in rules:
        paper = procedure.papers.filter(name=rule["name"]).first()
        if paper is None:
            continue  # the province renamed or removed it: its edit stands
        paper.is_declaration = bool(rule.get("declaration", False))
        paper.desk_allowed = bool(rule.get("desk", False))
        paper.digitise = bool(rule.get("digitise", False))
        paper.save(update_fields=["is_declaration", "desk_allowed", "digitise"])
        changed.append(paper.name)
    return changed


def do_save_form(
    procedure: Procedure,
    definition: dict[str, Any],
    *,
    actor: Actor,
    version: int | None = None,
    paper_rules: list[dict[str, Any]] | None = None,
) -> ProcedureForm:
    """A new version of the procedure's e-form (Invalid if the definition is not one).

    Dossiers already filed keep the version they were filed under.
    """
    try:
        FormDefinition.model_validate(definition)
    except ValueError as exc:
        raise Invalid(_("The form definition is not valid: %(why)s") % {"why": exc}) from None
    with transaction.atomic():
        Procedure.objects.select_for_update().get(pk=procedure.pk)
        latest = current_form(procedure)
        number = version if version is not None else (latest.version + 1 if latest else 1)
        if latest is not None and number <= latest.version:
            raise Conflict(
                _("Version %(version)s of this form exists already.") % {"version": number}
            )
        form = ProcedureForm.objects.create(
            procedure=procedure, version=number, definition=definition
        )
        papers = _paper_rules(procedure, paper_rules or [])
        audit.record(
            "procedures.form",
            actor=actor,
            subject_type="procedure",
            subject_id=procedure.code,
            before={"version": latest.version} if latest else None,
            after={"version": number, "title": definition.get("title", ""), "papers": papers},
        )
    return form


def do_load_shipped_forms(*, actor: Actor) -> int:
    """Load the repository's forms whose version is newer than the procedure's; how many."""
    loaded = 0
    versions = latest_versions()
    for shipped in shipped_forms():
        for code in shipped.procedures:
            procedure = Procedure.objects.filter(code=code).first()
            if procedure is None or versions.get(procedure.pk, 0) >= shipped.version:
                continue
            do_save_form(
                procedure,
                shipped.definition,
                actor=actor,
                version=shipped.version,
                paper_rules=shipped.papers,
            )
            loaded += 1
    return loaded
