"""The outgoing and incoming registers (Decree 30, Appendix IV, forms I and VI) for a year or
any period of it: rows in the appendix's columns, printed as PDF (WeasyPrint) or XLSX."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from haicap.core.calendar import ZONE
from haicap.core.errors import Invalid
from haicap.documents import doctypes
from haicap.documents.models import Agency, Delivery, Direction, Document, Register, Status

OUT_COLUMNS = (
    "Số, ký hiệu văn bản",
    "Ngày tháng văn bản",
    "Tên loại và trích yếu nội dung văn bản",
    "Người ký",
    "Nơi nhận văn bản",
    "Đơn vị, người nhận bản lưu",
    "Số lượng bản",
    "Ngày chuyển",
    "Ký nhận",
    "Ghi chú",
)
IN_COLUMNS = (
    "Ngày đến",
    "Số đến",
    "Tác giả",
    "Số, ký hiệu văn bản",
    "Ngày tháng văn bản",
    "Tên loại và trích yếu nội dung văn bản",
    "Đơn vị hoặc người nhận",
    "Ngày chuyển",
    "Ký nhận",
    "Ghi chú",
)
# Column widths in per cent of the page, the subject widest.
OUT_WIDTHS = (9, 7, 24, 9, 14, 8, 5, 7, 7, 10)
IN_WIDTHS = (7, 5, 14, 9, 7, 24, 12, 7, 7, 8)
MAX_ROWS = 100_000


@dataclass(frozen=True)
class Period:
    year: int
    start: dt.date
    end: dt.date


def period(year: int, start: dt.date | None = None, end: dt.date | None = None) -> Period:
    """The year, or the part of it asked for; Invalid outside the years a register can have."""
    today = timezone.localdate()
    if not 1945 <= year <= today.year:
        raise Invalid(_("A register's year lies between 1945 and this year."), field="year")
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    start, end = start or first, end or last
    if not first <= start <= end <= last:
        raise Invalid(_("The period lies within the register's year."), field="start")
    return Period(year, start, end)


def _day(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.astimezone(ZONE).date()
    return value.strftime("%d/%m/%Y")


def _kind(document: Document) -> str:
    found = doctypes.find(document.type_code)
    name = found.name if found and found.named else ""
    return f"{name} {document.subject}".strip() if name else document.subject


def documents_of(agency: Agency, direction: str, span: Period) -> list[Document]:
    register = Register.objects.filter(agency=agency, direction=direction, year=span.year).first()
    if register is None:
        return []
    found = Document.objects.filter(register=register).select_related("lead")
    if direction == Direction.OUT:
        found = found.filter(
            number__isnull=False, issued_on__gte=span.start, issued_on__lte=span.end
        ).order_by("number")
    else:
        start = dt.datetime.combine(span.start, dt.time.min, tzinfo=ZONE)
        end = dt.datetime.combine(span.end + dt.timedelta(days=1), dt.time.min, tzinfo=ZONE)
        found = found.filter(
            arrival_number__isnull=False, arrived_at__gte=start, arrived_at__lt=end
        ).order_by("arrival_number")
    return list(found[:MAX_ROWS])


def rows(agency: Agency, direction: str, span: Period) -> Iterator[list[str]]:
    documents = documents_of(agency, direction, span)
    if direction == Direction.OUT:
        sent: dict[int, str] = {}
        for delivery in Delivery.objects.filter(document__in=documents).order_by("sent_at"):
            sent.setdefault(delivery.document_id, _day(delivery.sent_at))
        for d in documents:
            note = _("Number cancelled") + f": {d.note}" if d.status == Status.CANCELLED else ""
            yield [
                d.number_text,
                _day(d.issued_on),
                _kind(d),
                d.signer_name,
                d.recipients_text,
                "Lưu: VT",
                str(d.copies),
                sent.get(d.pk, ""),
                "",
                note,
            ]
        return
    for d in documents:
        handler = d.lead_label or (d.lead.get_full_name() or d.lead.username if d.lead else "")
        yield [
            _day(d.arrived_at),
            str(d.arrival_number),
            d.sender_name,
            d.number_text,
            _day(d.issued_on),
            _kind(d),
            handler,
            _day(d.arrived_at) if handler else "",
            "",
            d.get_status_display() if d.status == Status.RETURNED else "",
        ]


def columns(direction: str) -> tuple[str, ...]:
    return OUT_COLUMNS if direction == Direction.OUT else IN_COLUMNS


def title(direction: str) -> str:
    return "SỔ ĐĂNG KÝ VĂN BẢN ĐI" if direction == Direction.OUT else "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN"


def render_pdf(agency: Agency, direction: str, span: Period) -> bytes:
    from weasyprint import HTML

    context = {
        "agency": agency,
        "title": title(direction),
        "span": span,
        "columns": columns(direction),
        "widths": OUT_WIDTHS if direction == Direction.OUT else IN_WIDTHS,
        "rows": list(rows(agency, direction, span)),
        "printed_at": timezone.now().astimezone(ZONE),
    }
    with translation.override("vi"):
        html = render_to_string("documents/pdf/register.html", context)
    pdf: bytes = HTML(string=html, base_url=str(settings.PACKAGE_DIR)).write_pdf()
    return pdf
