"""`haicap worker`: runs background jobs (notifications) from the PostgreSQL queue."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the background job worker (Procrastinate)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--concurrency", type=int, default=4)
        parser.add_argument(
            "--one-shot", action="store_true", help="process waiting jobs, then exit"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        arguments = ["worker", "--concurrency", str(options["concurrency"])]
        if options["one_shot"]:
            arguments.append("--one-shot")
        call_command("procrastinate", *arguments)
