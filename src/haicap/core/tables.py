"""Tables in and out. In: the tables people upload (CSV in UTF-8, with or without a BOM, or
XLSX), rows keyed by the first row's headers, each with the line a person finds it on. Out: a
download as CSV (UTF-8 with a BOM, so spreadsheet programs read Vietnamese) or XLSX."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils.exceptions import InvalidFileException

from haicap.core.errors import Invalid

Rows = list[tuple[int, dict[str, str]]]


def read_table(path: Path, *, lower_headers: bool = True) -> Rows:
    """(line number, row) for every non-empty row after the header; values trimmed.

    A file that is not the CSV or XLSX it claims to be, or holds NUL characters, raises
    Invalid with a message a person can act on, never a 500.
    """
    try:
        lines = _read_lines(path)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as exc:
        if path.suffix.lower() in {".xlsx", ".xlsm"}:
            message = _("The file is not a readable XLSX workbook; save it again as .xlsx.")
        else:
            message = _("The file is not a CSV table in UTF-8; save it again as CSV UTF-8.")
        raise Invalid(message, field="file", code="unreadable_table") from exc
    except csv.Error as exc:
        raise Invalid(
            _("The CSV table cannot be read: %(reason)s.") % {"reason": exc},
            field="file",
            code="unreadable_table",
        ) from exc
    if any("\x00" in cell for _number, row in lines for cell in row):
        raise Invalid(
            _("The table contains NUL characters; save it again as CSV UTF-8 or XLSX."),
            field="file",
            code="unreadable_table",
        )
    if not lines:
        return []
    header = [name.strip().lower() if lower_headers else name.strip() for name in lines[0][1]]
    return [(number, dict(zip(header, row, strict=False))) for number, row in lines[1:] if any(row)]


def _read_lines(path: Path) -> list[tuple[int, list[str]]]:
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        sheet = load_workbook(path, read_only=True, data_only=True).active
        lines = [
            (number, ["" if cell is None else str(cell).strip() for cell in row])
            for number, row in enumerate(
                sheet.iter_rows(values_only=True) if sheet is not None else [], start=1
            )
        ]
    else:
        reader = csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig")))
        lines = [(reader.line_num, [cell.strip() for cell in row]) for row in reader]
    return lines


FORMATS = ("csv", "xlsx")


def table_response(
    fmt: str, name: str, header: Sequence[str], rows: Sequence[Sequence[Any]]
) -> HttpResponse:
    """A download of one table; ``name`` without extension."""
    if fmt == "xlsx":
        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.title = name[:31]
        sheet.append(list(header))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(list(row))
        buffer = io.BytesIO()
        book.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response.write("\ufeff")
        writer = csv.writer(response)
        writer.writerow(header)
        writer.writerows(rows)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
