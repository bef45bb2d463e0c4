"""The registers of the one-stop desk (Circular 03/2025): the dossier register (sổ theo dõi
hồ sơ) and the result-return register, for any period and desk, as rows, PDF or XLSX."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from haicap.core.actors import Actor
from haicap.core.calendar import ZONE
from haicap.core.errors import Invalid
from haicap.dossiers.access import visible_dossiers
from haicap.dossiers.models import Dossier, DossierEvent, Status
from haicap.staff.names import full_name
from haicap.units.models import ServiceCenter

KINDS = ("dossiers", "returns")
MAX_DAYS = 366
# A register beyond this is a year of a big desk: print it in parts (by quarter, by month).
MAX_ROWS = {"pdf": 5000, "xlsx": 50000}

TITLES = {"dossiers": "SỔ THEO DÕI HỒ SƠ", "returns": "SỔ THEO DÕI TRẢ KẾT QUẢ"}
COLUMNS = {
    "dossiers": (
        "STT",
        "Mã hồ sơ",
        "Tên thủ tục hành chính",
        "Số lượng hồ sơ (bộ)",
        "Tên cá nhân, tổ chức",
        "Địa chỉ, số điện thoại",
        "Cơ quan chủ trì giải quyết",
        "Nhận hồ sơ (giờ, ngày)",
        "Hẹn trả kết quả (giờ, ngày)",
        "Trả kết quả (giờ, ngày)",
        "Trạng thái, ghi chú",
    ),
    "returns": (
        "STT",
        "Mã hồ sơ",
        "Tên thủ tục hành chính",
        "Tên cá nhân, tổ chức nhận kết quả",
        "Hẹn trả kết quả (giờ, ngày)",
        "Trả kết quả (giờ, ngày)",
        "Trước hạn, đúng hạn, quá hạn",
        "Người trả kết quả",
        "Ký nhận",
        "Ghi chú",
    ),
}
WIDTHS = {
    "dossiers": (4, 11, 17, 6, 11, 13, 10, 8, 8, 8, 8),
    "returns": (4, 12, 20, 13, 9, 9, 8, 11, 7, 7),
}


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    @classmethod
    def of(cls, start: dt.date, end: dt.date) -> Period:
        if end < start:
            raise Invalid(_("The end of the period comes before its start."), field="end")
        if (end - start).days >= MAX_DAYS:
            raise Invalid(_("A register covers at most %(n)d days.") % {"n": MAX_DAYS}, field="end")
        return cls(start, end)

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        low = dt.datetime.combine(self.start, dt.time.min, tzinfo=ZONE)
        return low, dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min, tzinfo=ZONE)


def _at(value: dt.datetime | None) -> str:
    return f"{value.astimezone(ZONE):%H:%M %d/%m/%Y}" if value else ""


def _timing(dossier: Dossier) -> str:
    if dossier.returned_at is None or dossier.due_at is None:
        return ""
    if dossier.returned_at.astimezone(ZONE).date() < dossier.due_at.astimezone(ZONE).date():
        return "Trước hạn"
    return "Đúng hạn" if dossier.returned_at <= dossier.due_at else "Quá hạn"


def dossiers_of(user: Actor, centre: ServiceCenter, kind: str, span: Period) -> list[Dossier]:
    """The dossiers of the register, in the order they were entered, that ``user`` may see."""
    low, high = span.bounds()
    found = visible_dossiers(user).filter(receiving_centre=centre)
    if kind == "dossiers":
        found = found.filter(received_at__gte=low, received_at__lt=high).order_by(
            "received_at", "code"
        )
    else:
        found = found.filter(
            status=Status.RETURNED, returned_at__gte=low, returned_at__lt=high
        ).order_by("returned_at", "code")
    return list(found.select_related("procedure", "responsible_unit"))


def _returners(dossiers: list[Dossier]) -> dict[int, str]:
    """Who handed each result over, by full name (one query)."""
    events = DossierEvent.objects.filter(
        dossier_id__in=[d.pk for d in dossiers], action="return_result"
    ).select_related("actor")
    return {e.dossier_id: full_name(e.actor) if e.actor else "" for e in events}


def rows(kind: str, dossiers: list[Dossier]) -> Iterator[list[str]]:
    if kind == "dossiers":
        with translation.override("vi"):
            for number, d in enumerate(dossiers, start=1):
                contact = ", ".join(p for p in (d.applicant_address, d.applicant_phone) if p)
                yield [
                    str(number),
                    d.code,
                    d.procedure.name,
                    str(d.copies),
                    d.applicant_name,
                    contact,
                    d.responsible_unit.name,
                    _at(d.received_at),
                    _at(d.due_at),
                    _at(d.returned_at),
                    str(Status(d.status).label),
                ]
        return
    returners = _returners(dossiers)
    for number, d in enumerate(dossiers, start=1):
        yield [
            str(number),
            d.code,
            d.procedure.name,
            d.applicant_name,
            _at(d.due_at),
            _at(d.returned_at),
            _timing(d),
            returners.get(d.pk, ""),
            "",
            "",
        ]


def check_size(dossiers: list[Dossier], fmt: str) -> None:
    if len(dossiers) > MAX_ROWS[fmt]:
        raise Invalid(
            _("This register has %(n)d rows, more than %(max)d: choose a shorter period.")
            % {"n": len(dossiers), "max": MAX_ROWS[fmt]},
            field="end",
        )


def render_pdf(centre: ServiceCenter, kind: str, span: Period, table: list[list[str]]) -> bytes:
    from weasyprint import HTML

    context = {
        "centre": centre,
        "title": TITLES[kind],
        "span": span,
        "columns": COLUMNS[kind],
        "widths": WIDTHS[kind],
        "rows": table,
        "printed_at": timezone.now().astimezone(ZONE),
    }
    with translation.override("vi"):
        html = render_to_string("dossiers/pdf/register.html", context)
    pdf: bytes = HTML(string=html, base_url=str(settings.PACKAGE_DIR)).write_pdf()
    return pdf
