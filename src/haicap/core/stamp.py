"""The visible part of a signature: who signed and when, in a box drawn by WeasyPrint.

WeasyPrint shapes Vietnamese with the same fonts as every other haicap PDF; pyHanko imports the
rendered page as the signature field's appearance. The words are Vietnamese, like the forms.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from pyhanko.stamp import StaticStampStyle

from haicap.core.errors import Invalid

_CSS = """
@page { size: %(width)spt %(height)spt; margin: 0; }
body { margin: 0; font-family: "DejaVu Sans", sans-serif; font-size: 7pt; line-height: 1.3;
       color: #a50016; }
div { box-sizing: border-box; width: %(width)spt; height: %(height)spt; padding: 3pt 5pt;
      border: 1pt solid #a50016; overflow: hidden; }
p { margin: 0; }
"""


@dataclass(frozen=True)
class Stamp:
    """Where a visible signature goes: a page (0 first, -1 last), a box in points (bottom left)."""

    page: int = -1
    box: tuple[int, int, int, int] = (330, 40, 565, 105)

    def __post_init__(self) -> None:
        x1, y1, x2, y2 = self.box
        if not (60 <= x2 - x1 <= 600 and 30 <= y2 - y1 <= 300 and min(self.box) >= 0):
            raise Invalid(_("A signature box is 60 to 600 points wide and 30 to 300 high."))

    @property
    def width(self) -> int:
        return self.box[2] - self.box[0]

    @property
    def height(self) -> int:
        return self.box[3] - self.box[1]


def render_stamp(
    stamp: Stamp, *, name: str, title: str, organisation: str, signed_at: dt.datetime
) -> bytes:
    """A one-page PDF the size of the box with the signer's name, title, agency and time."""
    from weasyprint import HTML  # slow to import; only signing with a stamp needs it

    lines = [format_html("<p>Người ký: <b>{}</b></p>", name)]
    if title:
        lines.append(format_html("<p>Chức vụ: {}</p>", title))
    if organisation:
        lines.append(format_html("<p>Cơ quan: {}</p>", organisation))
    when = timezone.localtime(signed_at).strftime("%d/%m/%Y %H:%M:%S %z")
    lines.append(format_html("<p>Thời gian ký: {}</p>", when))
    css = _CSS % {"width": stamp.width, "height": stamp.height}
    html = f"<html><head><style>{css}</style></head><body><div>{''.join(lines)}</div></body></html>"
    return bytes(HTML(string=html).write_pdf())


@contextmanager
def stamp_style(
    stamp: Stamp | None, *, name: str, title: str, organisation: str, signed_at: dt.datetime
) -> Iterator[StaticStampStyle | None]:
    """pyHanko's appearance for ``stamp`` while the signature is written; None when invisible."""
    if stamp is None:
        yield None
        return
    pdf = render_stamp(
        stamp, name=name, title=title, organisation=organisation, signed_at=signed_at
    )
    # pyHanko reads the imported page from a file, lazily, while it writes the signature.
    with tempfile.TemporaryDirectory(prefix="haicap-stamp-") as directory:
        path = Path(directory) / "stamp.pdf"
        path.write_bytes(pdf)
        yield StaticStampStyle.from_pdf_file(str(path), border_width=0, background_opacity=1.0)
