"""Document numbers: the notation rules, and taking the next number of a register.

A number is taken inside the transaction that writes it on the document, with the register's
row locked, so officers issuing at the same moment wait for each other for that one UPDATE:
none gets a number another has, and a rolled-back issue gives its number back (no gaps). A
number cancelled after it was given stays recorded on its document, marked cancelled.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection
from django.utils.translation import gettext as _

from haicap.core.errors import Conflict
from haicap.documents.doctypes import find
from haicap.documents.models import Agency, Register

INSERT_REGISTER = """
INSERT INTO documents_register (agency_id, direction, year, opened_on, last_number)
VALUES (%(agency)s, %(direction)s, %(year)s, %(opened)s, 0)
ON CONFLICT (agency_id, direction, year) DO NOTHING
"""

TAKE = """
UPDATE documents_register SET last_number = last_number + 1
WHERE id = %(id)s AND closed_on IS NULL
RETURNING last_number
"""


@dataclass(frozen=True)
class Notation:
    number: int
    notation: str  # "QĐ-UBND", "NQ/ĐU", "UBND-VP"
    text: str  # "05/QĐ-UBND", "05-NQ/ĐU"
    party: bool

    @property
    def printed(self) -> str:
        """As printed on the document: "Số: 05/QĐ-UBND" or, for the Party, "Số 05-NQ/ĐU"."""
        return f"Số {self.text}" if self.party else f"Số: {self.text}"


def padded(number: int) -> str:
    """A leading zero below 10 (Decree 30, Appendix I): 5 → "05", 123 → "123"."""
    return f"{number:02d}"


def notation_for(
    number: int, type_code: str, agency_abbreviation: str, *, party: bool, drafting_unit: str = ""
) -> Notation:
    """The number with its notation, by the agency's rule.

    State agencies: ``05/QĐ-UBND`` (type, then agency); an official letter has no type:
    ``05/UBND-VP`` (agency, then the drafting unit). Party committees: ``05-NQ/ĐU``.
    """
    if number < 1:
        raise ValueError("document numbers start at 1")
    doc_type = find(type_code)
    code = doc_type.code if doc_type else type_code.strip()
    if doc_type is not None and not doc_type.named:
        notation = "-".join(part for part in (agency_abbreviation, drafting_unit) if part)
        if party:
            notation = f"{code}/{agency_abbreviation}"
    elif party:
        notation = f"{code}/{agency_abbreviation}"
    else:
        notation = f"{code}-{agency_abbreviation}"
    separator = "-" if party else "/"
    return Notation(number, notation, f"{padded(number)}{separator}{notation}", party)


def register_for(agency: Agency, direction: str, day: dt.date) -> Register:
    """The agency's register for ``day``'s year, opened if it has none yet.

    A register starts on 1 January, or on the day the agency came into force.
    """
    if not agency.in_force_on(day):
        raise Conflict(
            _("%(agency)s is not in force on %(day)s: it issues and registers nothing.")
            % {"agency": agency.name, "day": day.strftime("%d/%m/%Y")},
            field="agency",
        )
    opened = max(dt.date(day.year, 1, 1), agency.valid_from or dt.date(day.year, 1, 1))
    with connection.cursor() as cursor:
        cursor.execute(
            INSERT_REGISTER,
            {"agency": agency.pk, "direction": direction, "year": day.year, "opened": opened},
        )
    return Register.objects.get(agency=agency, direction=direction, year=day.year)


def take_number(register: Register) -> int:
    """The register's next number; must run inside the caller's transaction."""
    with connection.cursor() as cursor:
        cursor.execute(TAKE, {"id": register.pk})
        row = cursor.fetchone()
    if row is None:
        raise Conflict(
            _("The register of %(agency)s for %(year)s is closed.")
            % {"agency": register.agency.name, "year": register.year},
            code="register_closed",
        )
    register.last_number = int(row[0])
    return register.last_number
