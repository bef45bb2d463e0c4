"""`haicap demo`: demo officers (with their password) and dossiers in every state."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db.models import Count

from haicap.demo.stories import WARDS, create_demo
from haicap.dossiers.models import Dossier, Status
from haicap.reports.aggregate import refresh


class Command(BaseCommand):
    help = "Create demo officers for Hà Nội and three wards, and demo dossiers in every state."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--dossiers", type=int, default=300, help="how many (first run only)")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        result = create_demo(
            settings.DATA_DIR, count=options["dossiers"], progress=not options["no_progress"]
        )
        if result.dossiers_created:
            self.stdout.write(f"demo: {result.dossiers_created} dossiers created")
        # The dashboards count them now rather than at the worker's next minute.
        counted = refresh()
        if counted.keys:
            self.stdout.write(f"reports: {counted.keys} days counted")
        by_status = dict(
            Dossier.objects.values_list("status").annotate(n=Count("id")).order_by("status")
        )
        summary = ", ".join(f"{Status(s).label} {n}" for s, n in by_status.items())
        self.stdout.write(f"dossiers by status: {summary}")
        self.stdout.write(
            f"Demo officers (password for all: {result.password}), sign in at "
            f"{settings.SITE_URL}/accounts/login/:"
        )
        self.stdout.write("  Hà Nội: hn.admin, hn.receiver, hn.specialist, hn.leader, hn.auditor")
        for slug in WARDS.values():
            self.stdout.write(f"  {slug}: {slug}.receiver, {slug}.specialist, {slug}.leader")
