"""`haicap createadmin`: an administrator account, and how to sign in with it."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from haicap.core.actors import SYSTEM
from haicap.core.errors import DomainError
from haicap.staff.actions import do_create_administrator


class Command(BaseCommand):
    help = "Create the administrator account if missing and print how to sign in."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--username", default="admin")
        parser.add_argument("--password", help="set this password (default: a random one)")
        parser.add_argument(
            "--full-name", default="", help='shown on pages (default: "Quản trị hệ thống")'
        )

    def handle(self, *args: Any, **options: Any) -> None:
        username = options["username"]
        # The generated password is kept beside the database so `make run` can show it again.
        password_file = settings.DATA_DIR / f"{username}_password"
        try:
            user, password = do_create_administrator(
                username, password=options["password"], actor=SYSTEM, full_name=options["full_name"]
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        if password:
            password_file.write_text(password)
            password_file.chmod(0o600)
        known = password_file.read_text().strip() if password_file.exists() else None
        self.stdout.write(f"Admin: {settings.SITE_URL}/admin/  user: {username}")
        if known and user.check_password(known):
            self.stdout.write(f"       password: {known}")
        else:
            self.stdout.write(
                f"       password changed since; reset: haicap changepassword {username}"
            )
