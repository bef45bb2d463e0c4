"""A filing's e-form and papers, checked against its procedure before anything is written.

Online, each mandatory paper is uploaded, or marked to be shown at the desk where the
procedure allows it; the declaration paper is the e-form itself. At the counter the officer
ticks each paper received and attaches a scan where the procedure digitises it. Every
problem is reported at once (``InvalidFields``: messages by field and the missing papers).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from haicap.core.errors import Invalid, InvalidFields
from haicap.dossiers.applicant import Applicant
from haicap.dossiers.models import Channel, Dossier, DossierForm
from haicap.dossiers.papers import Upload
from haicap.procedures.forms_data import current_form
from haicap.procedures.forms_schema import FormDefinition, check_values
from haicap.procedures.models import Procedure, ProcedureForm, RequiredPaper


@dataclass(frozen=True)
class Declaration:
    """What a filing gives besides the applicant: e-form values and papers.

    ``uploads`` pairs each file with the required paper it is (None: another paper);
    ``at_desk`` (online) and ``received`` (counter) are required-paper ids; ``kept`` counts
    files already kept elsewhere (a draft's, checked before it is saved) per paper id.
    """

    values: Mapping[str, Any] = field(default_factory=dict)
    uploads: list[tuple[int | None, Upload]] = field(default_factory=list)
    at_desk: frozenset[int] = frozenset()
    received: frozenset[int] = frozenset()
    kept: Mapping[int, int] = field(default_factory=dict)


@dataclass(frozen=True)
class CheckedDeclaration:
    form: ProcedureForm | None
    values: dict[str, Any]
    papers: list[dict[str, Any]]
    uploads: list[tuple[int | None, Upload]]


def paper_field(paper_id: int | None) -> str:
    """The field a paper's errors are reported on online (page and API); at the counter
    they are on its tick (``received_<id>``) or its scan (``scan_<id>``)."""
    return f"paper_{paper_id}" if paper_id is not None else "paper_other"


def required_papers(procedure: Procedure) -> list[RequiredPaper]:
    return list(procedure.papers.order_by("order", "id"))


def definition_of(form: ProcedureForm | None) -> FormDefinition | None:
    return FormDefinition.model_validate(form.definition) if form is not None else None


def check_declaration(
    procedure: Procedure, declaration: Declaration, *, channel: int
) -> CheckedDeclaration:
    """The clean values and the papers' record; InvalidFields naming every problem."""
    form = current_form(procedure)
    definition = definition_of(form)
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    if definition is not None:
        checked = check_values(definition, declaration.values)
        errors.update(checked.errors)
        values = checked.values
    elif declaration.values:
        errors["form"] = _("This procedure has no e-form; send no form values.")
    papers = required_papers(procedure)
    known = {paper.pk for paper in papers}
    for paper_id, _upload in declaration.uploads:
        if paper_id is not None and paper_id not in known:
            errors[paper_field(paper_id)] = _("This procedure asks for no paper %(id)s.") % {
                "id": paper_id
            }
    record, missing = _papers_record(papers, declaration, channel, definition is not None, errors)
    if errors or missing:
        if missing:
            message = _("Papers missing: %(papers)s.") % {"papers": "; ".join(missing)}
        else:
            message = _("Some answers need correcting: see each field.")
        raise InvalidFields(message, errors=errors, missing=missing)
    return CheckedDeclaration(form, values, record, list(declaration.uploads))


def _papers_record(
    papers: list[RequiredPaper],
    declaration: Declaration,
    channel: int,
    has_form: bool,
    errors: dict[str, str],
) -> tuple[list[dict[str, Any]], list[str]]:
    online = channel == Channel.ONLINE
    files: dict[int, int] = dict(declaration.kept)
    for paper_id, _upload in declaration.uploads:
        if paper_id is not None:
            files[paper_id] = files.get(paper_id, 0) + 1
    record: list[dict[str, Any]] = []
    missing: list[str] = []
    for paper in papers:
        name = paper_field(paper.pk)
        count = files.get(paper.pk, 0)
        entry = {"paper": paper.pk, "name": paper.name, "files": count, "how": ""}
        if paper.is_declaration and has_form:
            entry["how"] = "form"
        elif online and count:
            entry["how"] = "uploaded"
        elif online and paper.pk in declaration.at_desk:
            if paper.desk_allowed:
                entry["how"] = "desk"
            else:
                errors[name] = _("%(paper)s must be uploaded; it cannot wait for the desk.") % {
                    "paper": paper.name
                }
        elif not online and paper.pk in declaration.received:
            entry["how"] = "received"
            if paper.digitise and not count:
                errors[f"scan_{paper.pk}"] = _(
                    "Attach the scan of %(paper)s: this procedure digitises it."
                ) % {"paper": paper.name}
        if not online:
            name = f"received_{paper.pk}"  # the counter's tick
        if not entry["how"] and paper.mandatory and name not in errors:
            missing.append(paper.name)
            errors[name] = (
                _("Upload %(paper)s or mark it to be shown at the desk.")
                if online and paper.desk_allowed
                else _("Upload %(paper)s.")
                if online
                else _("Tick %(paper)s once received, or the dossier cannot be received.")
            ) % {"paper": paper.name}
        if entry["how"]:
            record.append(entry)
    return record, missing


def save_declaration(dossier: Dossier, checked: CheckedDeclaration) -> DossierForm:
    """Store the values with the dossier (inside the action's transaction)."""
    return DossierForm.objects.create(
        dossier=dossier,
        form=checked.form,
        version=checked.form.version if checked.form else 0,
        values=checked.values,
        papers=checked.papers,
    )


_SAMPLE = Applicant(full_name="A", id_number="", phone="", email="")


def applicant_errors(applicant: Applicant) -> dict[str, str]:
    """Every bad applicant field at once (Applicant.checked stops at the first)."""
    errors: dict[str, str] = {}
    for name in ("full_name", "id_number", "birth_date", "phone", "email"):
        one = dataclasses.replace(_SAMPLE, **{name: getattr(applicant, name)})
        try:
            one.checked()
        except Invalid as exc:
            errors[name] = exc.message
    return errors
