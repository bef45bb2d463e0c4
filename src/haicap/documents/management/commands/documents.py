"""`haicap documents agencies add UNIT KIND …`, `agencies import FILE`, `agencies list --unit`:
a unit's agencies besides its People's Committee (which `haicap setup` makes)."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from haicap.core.actors import SYSTEM
from haicap.core.errors import DomainError
from haicap.core.tables import read_table
from haicap.documents.agencies import agencies_of, do_add_agency
from haicap.documents.models import AgencyKind
from haicap.units.queries import unit_by_code


class Command(BaseCommand):
    help = "The agencies that issue and receive official documents."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        agencies = sub.add_parser("agencies", help="add, import or list agencies")
        what = agencies.add_subparsers(dest="what", required=True)
        add = what.add_parser("add", help="one agency of a unit")
        add.add_argument("unit", help="code of the province or commune")
        add.add_argument("kind", choices=AgencyKind.values)
        add.add_argument("--code", default="", help="identifier code (default: derived)")
        add.add_argument("--name", default="")
        add.add_argument("--abbreviation", default="")
        imp = what.add_parser("import", help="CSV or XLSX: unit,kind,code,name,abbreviation")
        imp.add_argument("file", type=Path)
        listing = what.add_parser("list", help="a unit's agencies")
        listing.add_argument("--unit", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["what"] == "add":
                agency = do_add_agency(
                    options["unit"],
                    options["kind"],
                    actor=SYSTEM,
                    code=options["code"],
                    name=options["name"],
                    abbreviation=options["abbreviation"],
                )
                self.stdout.write(f"{agency.code} {agency.name} ({agency.abbreviation})")
            elif options["what"] == "import":
                self._import(options["file"])
            else:
                for agency in agencies_of(unit_by_code(options["unit"])):
                    self.stdout.write(
                        f"{agency.code}\t{agency.kind}\t{agency.abbreviation}\t{agency.name}"
                    )
        except DomainError as exc:
            raise CommandError(exc.message) from exc

    def _import(self, path: Path) -> None:
        """Every row or none: a refused row names its line, and nothing is written."""
        if not path.exists():
            raise CommandError(f"{path} does not exist")
        try:
            rows = read_table(path)
        except ValueError as exc:
            raise CommandError(f"{path}: {exc}") from exc
        with transaction.atomic():
            for line, row in rows:
                try:
                    do_add_agency(
                        row.get("unit", ""),
                        row.get("kind", ""),
                        actor=SYSTEM,
                        code=row.get("code", ""),
                        name=row.get("name", ""),
                        abbreviation=row.get("abbreviation", ""),
                    )
                except DomainError as exc:
                    raise CommandError(f"line {line}: {exc.message}") from exc
        self.stdout.write(f"{len(rows)} agencies added")
