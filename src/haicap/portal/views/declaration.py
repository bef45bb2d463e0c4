"""The citizen's copy of the declaration (tờ khai) they filed, as a PDF."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse

from haicap.core import audit
from haicap.dossiers import declaration
from haicap.portal.views.tracking import _dossier_from_request


def declaration_pdf(request: HttpRequest, code: str) -> HttpResponse:
    dossier, _secret = _dossier_from_request(request, code)
    try:
        pdf = declaration.render(dossier)
    except LookupError as exc:
        raise Http404 from exc
    audit.record(
        "dossier.declaration_download",
        actor=request.user,
        subject_type="dossier",
        subject_id=dossier.code,
        unit_id=dossier.responsible_unit_id,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{dossier.code}-to-khai.pdf"'
    return response
