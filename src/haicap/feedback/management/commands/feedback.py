"""`haicap feedback apikey create NAME` (prints the new key once), `apikey revoke NAME`,
`apikey list`: the apps allowed to file reports through Open311."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from haicap.core.actors import SYSTEM
from haicap.core.errors import DomainError
from haicap.feedback.actions import do_create_api_app, do_revoke_api_app
from haicap.feedback.models import ApiApp


class Command(BaseCommand):
    help = "Citizen feedback: the Open311 apps and their api_key."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        keys = sub.add_parser("apikey", help="create, revoke or list Open311 api keys")
        what = keys.add_subparsers(dest="what", required=True)
        what.add_parser("create", help="register an app; prints its key").add_argument("name")
        what.add_parser("revoke", help="stop an app's key").add_argument("name")
        what.add_parser("list", help="registered apps")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["what"] == "create":
                app, key = do_create_api_app(options["name"], actor=SYSTEM)
                self.stdout.write(key)
                self.stderr.write(f"api_key for {app.name} (shown once; only its hash is kept)")
            elif options["what"] == "revoke":
                do_revoke_api_app(options["name"], actor=SYSTEM)
                self.stdout.write(f"revoked: {options['name']}")
            else:
                for app in ApiApp.objects.order_by("name"):
                    state = "revoked" if app.revoked_at else "active"
                    self.stdout.write(f"{app.name}\t{app.prefix}…\t{state}")
        except DomainError as exc:
            raise CommandError(exc.message) from exc
