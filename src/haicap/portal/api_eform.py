"""The e-form and papers of a filing through /api/v1/public/: what a client sends, and what
it reads to know what to send (GET …/procedures/{code}/form)."""

from __future__ import annotations

import base64
import binascii
import io
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from ninja import Field, Schema

from haicap.core.errors import Invalid
from haicap.dossiers.eform import Declaration, definition_of
from haicap.dossiers.papers import Upload
from haicap.dossiers.papers import check as check_upload
from haicap.procedures.forms_data import current_form
from haicap.procedures.models import Procedure


class PaperIn(Schema):
    paper: int | None = Field(None, description="the required paper's id; null: another paper")
    file_name: str = Field(..., min_length=1, max_length=255)
    content_base64: str = Field(..., description="the file (PDF, JPEG or PNG), base64")


class FormPaperOut(Schema):
    id: int
    name: str
    mandatory: bool
    is_declaration: bool = Field(..., description="filled in as the e-form: send no file")
    desk_allowed: bool = Field(..., description="may be listed in at_desk instead")
    digitise: bool


class FormOut(Schema):
    procedure: str
    version: int | None
    definition: dict[str, Any] | None
    papers: list[FormPaperOut]


def form_out(procedure: Procedure) -> FormOut:
    form = current_form(procedure)
    return FormOut(
        procedure=procedure.code,
        version=form.version if form else None,
        definition=form.definition if form else None,
        papers=[
            FormPaperOut(
                id=p.pk,
                name=p.name,
                mandatory=p.mandatory,
                is_declaration=p.is_declaration and form is not None,
                desk_allowed=p.desk_allowed,
                digitise=p.digitise,
            )
            for p in procedure.papers.order_by("order", "id")
        ],
    )


def declaration_from(
    procedure: Procedure, values: dict[str, Any], papers: list[PaperIn], at_desk: list[int]
) -> Declaration:
    """The body's e-form and papers; Invalid for a file that is not base64, too big or of a
    kind not accepted (the same checks as the pages)."""
    # base64 is a third bigger than the file.
    limit = settings.MAX_UPLOAD_MB * 1024 * 1024 * 4 // 3 + 4
    uploads: list[tuple[int | None, Upload]] = []
    for index, paper in enumerate(papers):
        field = f"papers[{index}]"
        if len(paper.content_base64) > limit:
            raise Invalid(
                _("%(file)s is larger than %(mb)s MB.")
                % {"file": paper.file_name, "mb": settings.MAX_UPLOAD_MB},
                field=field,
            )
        try:
            content = base64.b64decode(paper.content_base64, validate=True)
        except (binascii.Error, ValueError):
            raise Invalid(
                _("%(file)s is not base64.") % {"file": paper.file_name}, field=field
            ) from None
        name = next(
            (p.name for p in procedure.papers.all() if p.pk == paper.paper), paper.file_name
        )
        uploads.append(
            (paper.paper, check_upload(name, paper.file_name, io.BytesIO(content), field=field))
        )
    definition_of(current_form(procedure))  # a stored definition that no longer loads: 500
    return Declaration(values=values, uploads=uploads, at_desk=frozenset(at_desk))
