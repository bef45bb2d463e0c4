"""`haicap token create USERNAME`, `token list`, `token revoke PREFIX`."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from haicap.core.actors import SYSTEM
from haicap.core.errors import DomainError
from haicap.staff.actions import do_create_api_token, do_revoke_api_token
from haicap.staff.models import ApiToken


class Command(BaseCommand):
    help = "Bearer tokens for the API."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="a new token for a user (printed once)")
        create.add_argument("username")
        create.add_argument("--name", default="", help="what the token is for")
        sub.add_parser("list", help="tokens (prefix, user, last use)")
        revoke = sub.add_parser("revoke", help="revoke a token by its prefix")
        revoke.add_argument("prefix")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["action"] == "create":
                _record, token = do_create_api_token(
                    options["username"], name=options["name"], actor=SYSTEM
                )
                self.stdout.write(token)
            elif options["action"] == "revoke":
                record = do_revoke_api_token(options["prefix"], actor=SYSTEM)
                self.stdout.write(f"revoked {record.prefix}…")
            else:
                for record in ApiToken.objects.select_related("user").order_by("created_at"):
                    state = "revoked" if record.revoked_at else "active"
                    self.stdout.write(
                        f"{record.prefix}… {record.user.username} {record.name!r} {state} "
                        f"last used {record.last_used_at or 'never'}"
                    )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
