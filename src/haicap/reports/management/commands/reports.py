"""`haicap reports rebuild|refresh|show`: the daily figures behind the indicators."""

from __future__ import annotations

import datetime as dt
import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from haicap.core.errors import DomainError
from haicap.reports import index
from haicap.reports.aggregate import rebuild, refresh
from haicap.reports.indicators import check_range, describe, scope_for, totals


class Command(BaseCommand):
    help = "Rebuild or refresh the daily figures, or print a scope's indicators."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("rebuild", help="count every dossier again (dashboards wait meanwhile)")
        sub.add_parser("refresh", help="count the days that changed (the worker does it)")
        show = sub.add_parser("show", help="a scope's indicators and index as JSON")
        show.add_argument("--unit", help="unit or province code; none: the nation")
        show.add_argument("--from", dest="start", type=dt.date.fromisoformat)
        show.add_argument("--to", dest="end", type=dt.date.fromisoformat)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "rebuild":
            result = rebuild()
            self.stdout.write(f"{result.rows} daily rows counted in {result.seconds:.1f} s")
        elif options["action"] == "refresh":
            result = refresh()
            self.stdout.write(
                f"{result.keys} changed days, {result.rows} rows counted in {result.seconds:.2f} s"
            )
        else:
            try:
                start, end = check_range(options["start"], options["end"])
                scope = scope_for(options["unit"], end)
            except DomainError as exc:
                raise CommandError(exc.message) from exc
            shown = describe(totals(scope, start, end), index.catalogue(), with_index=True)
            body = {"unit": scope.code or "VN", "from": str(start), "to": str(end), **shown}
            self.stdout.write(json.dumps(body, ensure_ascii=False, indent=2))
