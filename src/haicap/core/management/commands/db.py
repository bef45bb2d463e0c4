"""`haicap db status|stop|url`: the embedded PostgreSQL in HAICAP_DATA_DIR."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from haicap.core import embedded_db


class Command(BaseCommand):
    help = "Status of the embedded database, its URL, or stop it."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["status", "stop", "url"])

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "status":
            self.stdout.write(json.dumps(embedded_db.status(settings.DATA_DIR), indent=2))
        elif action == "url":
            url = embedded_db.status(settings.DATA_DIR)["url"]
            if not url:
                raise CommandError("the embedded database is not running")
            self.stdout.write(url)
        elif embedded_db.stop(settings.DATA_DIR):
            self.stdout.write("embedded database stopped")
        else:
            self.stdout.write("embedded database was not running")
