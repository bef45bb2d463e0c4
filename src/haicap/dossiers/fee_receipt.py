"""The receipt (biên lai thu phí, lệ phí) of a paid fee, as a PDF."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from haicap.core.calendar import ZONE
from haicap.dossiers.documents import lookup_url, qr_svg
from haicap.dossiers.models import Payment, PaymentStatus

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")


def _three(n: int, full: bool) -> str:
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    words: list[str] = []
    if full or hundreds:
        words += [DIGITS[hundreds], "trăm"]
    if tens > 1:
        words += [DIGITS[tens], "mươi"]
    elif tens == 1:
        words.append("mười")
    elif ones and words:
        words.append("linh")
    if ones == 1 and tens > 1:
        words.append("mốt")
    elif ones == 5 and tens > 0:
        words.append("lăm")
    elif ones:
        words.append(DIGITS[ones])
    return " ".join(words)


def in_words(amount: int) -> str:
    """The amount in Vietnamese words, as receipts print it: "Mười nghìn đồng"."""
    if amount == 0:
        return "Không đồng"
    groups = []
    while amount:
        amount, group = divmod(amount, 1000)
        groups.append(group)
    units = ("", "nghìn", "triệu", "tỷ")
    words: list[str] = []
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if not group:
            continue
        words.append(_three(group, full=index < len(groups) - 1))
        if units[index % 4]:
            words.append(units[index % 4])
    text = " ".join(words) + " đồng"
    return text[0].upper() + text[1:]


def render(payment: Payment) -> bytes:
    """The receipt's PDF; only for a paid payment (LookupError otherwise)."""
    from weasyprint import HTML

    if payment.status != PaymentStatus.PAID:
        raise LookupError(payment.reference)
    dossier = payment.dossier
    context = {
        "payment": payment,
        "dossier": dossier,
        "centre": dossier.receiving_centre,
        "title": "Biên lai thu phí, lệ phí",
        "in_words": in_words(payment.amount),
        "paid_at": timezone.localtime(payment.paid_at, ZONE) if payment.paid_at else None,
        "lookup_url": lookup_url(dossier),
        "qr": qr_svg(lookup_url(dossier)),
    }
    with translation.override("vi"):
        html = render_to_string("dossiers/pdf/fee_receipt.html", context)
    pdf: bytes = HTML(string=html, base_url=str(settings.PACKAGE_DIR)).write_pdf()
    return pdf
