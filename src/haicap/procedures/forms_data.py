"""The e-forms shipped in the repository (procedures/forms/*.json), read for `haicap setup`.

Each file names the procedures it is for, its version, the rules of the procedure's required
papers (which one is the declaration itself, which may be shown at the desk, which the
counter scans) and the definition (procedures/forms_schema.py).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db.models import Max

from haicap.procedures.forms_schema import FormDefinition
from haicap.procedures.models import Procedure, ProcedureForm

FORMS_DIR = Path(__file__).resolve().parent / "forms"


@dataclass(frozen=True)
class ShippedForm:
    name: str
    procedures: list[str]
    version: int
    papers: list[dict[str, Any]]
    definition: dict[str, Any]


def shipped_forms(directory: Path = FORMS_DIR) -> list[ShippedForm]:
    """Every form file, its definition checked (ValueError naming the file otherwise)."""
    found = []
    for path in sorted(directory.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        try:
            FormDefinition.model_validate(data["definition"])
        except ValueError as exc:
            raise ValueError(f"{path.name}: {exc}") from exc
        found.append(
            ShippedForm(
                name=path.stem,
                procedures=list(data["procedures"]),
                version=int(data["version"]),
                papers=list(data.get("papers", [])),
                definition=data["definition"],
            )
        )
    return found


def current_form(procedure: Procedure) -> ProcedureForm | None:
    """The newest version of the procedure's e-form, if it has one."""
    return ProcedureForm.objects.filter(procedure=procedure).order_by("-version").first()


def latest_versions() -> dict[int, int]:
    """The newest form version of each procedure that has a form."""
    rows = ProcedureForm.objects.values("procedure_id").annotate(latest=Max("version"))
    return {row["procedure_id"]: row["latest"] for row in rows}
