"""Register pages: the registers of the officer's agencies, one register on screen, and its
print (PDF in Vietnamese) or spreadsheet (XLSX); every print is audited."""

from __future__ import annotations

import datetime as dt

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from haicap.core import audit
from haicap.core.errors import DomainError
from haicap.core.tables import table_response
from haicap.documents import registers
from haicap.documents.access import get_agency_for
from haicap.documents.models import Agency, Direction, Register
from haicap.documents.views.common import client_ip, current_agency, officers_of_agencies


def _parts(
    request: HttpRequest, code: str, year: int, direction: str
) -> tuple[Agency, registers.Period]:
    if direction not in Direction.values:
        raise Http404
    try:
        agency = get_agency_for(request.user, code)
        start = dt.date.fromisoformat(request.GET["start"]) if request.GET.get("start") else None
        end = dt.date.fromisoformat(request.GET["end"]) if request.GET.get("end") else None
        return agency, registers.period(year, start, end)
    except (DomainError, ValueError) as exc:
        raise Http404(str(exc)) from exc


@officers_of_agencies
def registers_page(request: HttpRequest) -> HttpResponse:
    agency, mine = current_agency(request)
    found = Register.objects.filter(agency=agency).order_by("-year", "direction") if agency else []
    context = {
        "agency": agency,
        "agencies": mine,
        "registers": list(found),
        "year": timezone.localdate().year,
    }
    return render(request, "documents/staff/registers.html", context)


@officers_of_agencies
def register_page(request: HttpRequest, code: str, year: int, direction: str) -> HttpResponse:
    agency, span = _parts(request, code, year, direction)
    context = {
        "agency": agency,
        "span": span,
        "direction": direction,
        "title": registers.title(direction),
        "columns": registers.columns(direction),
        "rows": list(registers.rows(agency, direction, span)),
        "register": Register.objects.filter(agency=agency, direction=direction, year=year).first(),
    }
    return render(request, "documents/staff/register.html", context)


@officers_of_agencies
def register_file(
    request: HttpRequest, code: str, year: int, direction: str, fmt: str
) -> HttpResponse:
    if fmt not in {"pdf", "xlsx"}:
        raise Http404
    agency, span = _parts(request, code, year, direction)
    audit.record(
        "document.register_print",
        actor=request.user,
        subject_type="agency",
        subject_id=agency.pk,
        unit_id=agency.unit_id,
        after={"year": year, "direction": direction, "format": fmt},
        ip=client_ip(request),
    )
    name = f"so-{'di' if direction == Direction.OUT else 'den'}-{agency.code}-{year}"
    if fmt == "xlsx":
        rows = list(registers.rows(agency, direction, span))
        return table_response("xlsx", name, registers.columns(direction), rows)
    response = HttpResponse(
        registers.render_pdf(agency, direction, span), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    return response
