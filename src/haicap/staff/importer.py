"""Reading a province's officers from CSV or XLSX for `haicap staff import`."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from haicap.core.actors import SYSTEM
from haicap.core.errors import DomainError
from haicap.core.tables import Rows, read_table
from haicap.staff.actions import StaffResult, do_add_staff_member

COLUMNS = ("username", "full_name", "email", "unit", "roles", "password")
REQUIRED = ("username", "unit", "roles")


@dataclass
class ImportReport:
    imported: list[StaffResult] = field(default_factory=list)
    refused: list[tuple[int, str, str]] = field(default_factory=list)  # row, username, reason


def read_rows(path: Path) -> Rows:
    """The officers' rows; ValueError if the header lacks a required column."""
    rows = read_table(path)
    header = set(rows[0][1]) if rows else set()
    missing = [name for name in REQUIRED if rows and name not in header]
    if missing:
        raise ValueError(f"the first row must name the columns; missing: {', '.join(missing)}")
    return rows


def import_staff(path: Path) -> ImportReport:
    """Add every valid row; each refused row is reported with its reason, others go on."""
    report = ImportReport()
    for number, row in read_rows(path):
        username = row.get("username", "")
        roles = [r.strip() for r in row.get("roles", "").replace(",", ";").split(";") if r.strip()]
        try:
            report.imported.append(
                do_add_staff_member(
                    username,
                    unit_code=row.get("unit", ""),
                    roles=roles,
                    actor=SYSTEM,
                    password=row.get("password") or None,
                    full_name=row.get("full_name", ""),
                    email=row.get("email", ""),
                )
            )
        except DomainError as exc:
            report.refused.append((number, username, exc.message))
    return report
