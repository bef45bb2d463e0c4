"""`haicap units load` and `haicap units stats [--json]`."""

from __future__ import annotations

import datetime as dt
import json
import time
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from haicap.core.actors import SYSTEM
from haicap.units.actions import do_load_agency_codes, do_load_registry
from haicap.units.queries import today
from haicap.units.source import read_package
from haicap.units.stats import registry_stats


class Command(BaseCommand):
    help = "Load the administrative-unit registry from vietnamadminunits, or print its counts."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load_parser = sub.add_parser("load", help="load or refresh units and successions")
        load_parser.add_argument("--no-progress", action="store_true", help="no progress bar")
        stats_parser = sub.add_parser("stats", help="counts by tier, era, kind and province")
        stats_parser.add_argument("--json", action="store_true", help="print JSON")
        codes = sub.add_parser(
            "agency-codes", help="load official agency codes (CSV/XLSX: unit, agency_code)"
        )
        codes.add_argument("file", type=Path)
        codes.add_argument(
            "--on", type=dt.date.fromisoformat, help="units in force on this day (default today)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "load":
            self._load(progress=not options["no_progress"])
        elif options["action"] == "stats":
            self._stats(as_json=options["json"])
        elif options["action"] == "agency-codes":
            self._agency_codes(options["file"], options["on"] or today())
        else:  # pragma: no cover - argparse refuses other actions
            raise CommandError(f"unknown action {options['action']}")

    def _agency_codes(self, path: Path, on: dt.date) -> None:
        if not path.exists():
            raise CommandError(f"{path} does not exist")
        report = do_load_agency_codes(path, on=on, actor=SYSTEM)
        for line, reason in report.refused:
            self.stdout.write(f"  line {line}: {reason}")
        if report.refused:
            raise CommandError(f"{len(report.refused)} rows refused; nothing changed", returncode=2)
        self.stdout.write(
            f"{report.updated} agency codes set; {report.centres} service centres renamed"
        )

    def _load(self, *, progress: bool) -> None:
        started = time.monotonic()
        dataset = read_package()
        result = do_load_registry(dataset, actor=SYSTEM, progress=progress)
        elapsed = time.monotonic() - started
        self.stdout.write(
            f"{dataset.source}: units {result.units_created} created, "
            f"{result.units_updated} updated, {result.units_unchanged} unchanged; "
            f"successions {result.successions_created} created, "
            f"{result.successions_updated} updated, {result.successions_removed} removed, "
            f"{result.successions_unchanged} unchanged ({elapsed:.1f} s)"
        )

    def _stats(self, *, as_json: bool) -> None:
        stats = registry_stats()
        if as_json:
            self.stdout.write(json.dumps(stats, ensure_ascii=False, indent=2))
            return
        for period, tiers in stats["units"].items():
            counts = ", ".join(f"{tier} {n}" for tier, n in tiers.items())
            self.stdout.write(f"units in force {period}: {counts}")
        kinds = ", ".join(f"{kind} {n}" for kind, n in stats["successions"].items())
        self.stdout.write(f"successions: {kinds}")
        self.stdout.write(f"units split between several successors: {stats['predecessors_split']}")
        for province in stats["provinces"]:
            self.stdout.write(
                f"  {province['code']} {province['name']} [{province['period']}]: "
                f"{province['districts']} districts, {province['communes']} communes"
            )
