"""`haicap setup`: database migrated and reference data loaded. Safe to run again."""

from __future__ import annotations

import time
from argparse import ArgumentParser
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from haicap.core.setup import run_setup_steps


class Command(BaseCommand):
    help = "Make the database ready: apply migrations and load the reference data."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--no-progress", action="store_true", help="no progress bars")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        call_command("migrate", interactive=False, verbosity=1 if options["verbosity"] > 1 else 0)
        self.stdout.write("database: migrations applied")
        run_setup_steps(self.stdout, progress=not options["no_progress"])
        self.stdout.write(
            self.style.SUCCESS(f"haicap is set up ({time.monotonic() - started:.1f} s)")
        )
