"""Reading a province's officers from CSV or XLSX for `haicap staff import`."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import load_workbook

from haicap.core.actions import StaffResult, do_add_staff_member
from haicap.core.errors import DomainError

COLUMNS = ("username", "full_name", "email", "unit", "roles", "password")
REQUIRED = ("username", "unit", "roles")


@dataclass
class ImportReport:
    imported: list[StaffResult] = field(default_factory=list)
    refused: list[tuple[int, str, str]] = field(default_factory=list)  # row, username, reason


def read_rows(path: Path) -> list[dict[str, str]]:
    """Rows as dicts keyed by the (lower-cased) header of the first row."""
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        sheet = load_workbook(path, read_only=True, data_only=True).active
        if sheet is None:
            return []
        values = [
            ["" if cell is None else str(cell).strip() for cell in row]
            for row in sheet.iter_rows(values_only=True)
        ]
    else:
        text = path.read_bytes().decode("utf-8-sig")
        values = [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text))]
    if not values:
        return []
    header = [name.lower() for name in values[0]]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise ValueError(f"the first row must name the columns; missing: {', '.join(missing)}")
    return [dict(zip(header, row, strict=False)) for row in values[1:] if any(row)]


def import_staff(path: Path) -> ImportReport:
    """Add every valid row; each refused row is reported with its reason, others go on."""
    report = ImportReport()
    for number, row in enumerate(read_rows(path), start=2):
        username = row.get("username", "")
        roles = [r.strip() for r in row.get("roles", "").replace(",", ";").split(";") if r.strip()]
        try:
            report.imported.append(
                do_add_staff_member(
                    username,
                    unit_code=row.get("unit", ""),
                    roles=roles,
                    actor=None,
                    password=row.get("password") or None,
                    full_name=row.get("full_name", ""),
                    email=row.get("email", ""),
                )
            )
        except DomainError as exc:
            report.refused.append((number, username, exc.message))
    return report
