"""`haicap dossiers import FILE [--skip-invalid]`: dossiers from the previous system."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from haicap.core.actors import SYSTEM
from haicap.dossiers.actions.imports import do_import_dossiers
from haicap.dossiers.importer import read_rows


class Command(BaseCommand):
    help = "Import dossiers (JSON list or CSV with the national portal's sync names)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="check every row, then import all or nothing")
        imp.add_argument("file", type=Path)
        imp.add_argument(
            "--skip-invalid", action="store_true", help="import the valid rows, report the rest"
        )
        imp.add_argument("--no-progress", action="store_true", help="no progress bars")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path} does not exist")
        try:
            rows = read_rows(path)
        except (ValueError, UnicodeDecodeError) as exc:
            raise CommandError(f"{path}: {exc}") from exc
        report = do_import_dossiers(
            rows,
            actor=SYSTEM,
            skip_invalid=options["skip_invalid"],
            source=path.name,
            progress=not options["no_progress"],
        )
        for refusal in report.refused:
            self.stdout.write(f"  row {refusal.row} ({refusal.code or '?'}): {refusal.reason}")
        self.stdout.write(
            f"{report.checked} rows checked, {report.imported} imported, "
            f"{len(report.refused)} refused"
        )
        if report.refused and not options["skip_invalid"]:
            raise CommandError("nothing imported: fix the refused rows or use --skip-invalid")
