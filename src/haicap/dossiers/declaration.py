"""The declaration (tờ khai) as a PDF: the e-form values a dossier was filed with, printed
under the form version they were filed under, in Vietnamese, with the receipts' fonts."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from haicap.core.calendar import ZONE
from haicap.dossiers.models import Dossier, DossierForm
from haicap.procedures.forms_schema import FormDefinition, display, shown

HOW = {
    "form": "Kê khai trên tờ khai điện tử này",
    "uploaded": "Đã nộp bản điện tử",
    "desk": "Xuất trình khi nhận kết quả",
    "received": "Đã nhận tại bộ phận một cửa",
}


def declaration_of(dossier: Dossier) -> DossierForm | None:
    return DossierForm.objects.select_related("form").filter(dossier=dossier).first()


def _addressee(dossier: Dossier) -> str:
    agency = dossier.procedure.handling_agency
    unit = dossier.responsible_unit.name
    if "cấp xã" in agency:
        return agency.replace("cấp xã", unit)
    return f"{agency} ({unit})"


def context(dossier: Dossier, declaration: DossierForm) -> dict[str, Any]:
    definition = FormDefinition.model_validate(
        declaration.form.definition if declaration.form else {}
    )
    values = declaration.values
    visible = shown(definition, values)
    sections = []
    for section in definition.sections:
        rows = [
            (spec.label, display(spec, values.get(spec.key)) or "…")
            for owner, spec in visible
            if owner is section
        ]
        if rows:
            sections.append({"title": section.title, "rows": rows})
    made = dossier.submitted_at or dossier.received_at or timezone.now()
    return {
        "dossier": dossier,
        "definition": definition,
        "sections": sections,
        "papers": [
            {**entry, "how_text": HOW.get(entry["how"], "")} for entry in declaration.papers
        ],
        "addressee": _addressee(dossier),
        "made_at": made.astimezone(ZONE),
        "place": dossier.responsible_unit.name,
        "version": declaration.version,
    }


def render(dossier: Dossier) -> bytes:
    """The PDF; LookupError if the dossier was filed without an e-form."""
    from weasyprint import HTML

    declaration = declaration_of(dossier)
    if declaration is None or declaration.form is None:
        raise LookupError(dossier.code)
    with translation.override("vi"):
        html = render_to_string("dossiers/pdf/declaration.html", context(dossier, declaration))
    pdf: bytes = HTML(string=html, base_url=str(settings.PACKAGE_DIR)).write_pdf()
    return pdf
