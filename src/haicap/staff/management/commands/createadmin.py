"""`haicap createadmin`: an administrator account, and how to sign in with it."""

from __future__ import annotations

import secrets
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from haicap.core import audit
from haicap.core.actors import SYSTEM


class Command(BaseCommand):
    help = "Create the administrator account if missing and print how to sign in."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--username", default="admin")
        parser.add_argument("--password", help="set this password (default: a random one)")

    def handle(self, *args: Any, **options: Any) -> None:
        user_model = get_user_model()
        username = options["username"]
        # The generated password is kept beside the database so `make run` can show it again.
        password_file = settings.DATA_DIR / f"{username}_password"
        with transaction.atomic():
            user = user_model.objects.filter(username=username).first()
            password = options["password"]
            if user is None or password:
                password = password or secrets.token_urlsafe(12)
                if user is None:
                    user = user_model.objects.create_superuser(username=username, password=password)
                    audit.record(
                        "user.create", actor=SYSTEM, subject_type="user", subject_id=user.pk
                    )
                else:
                    user.set_password(password)
                    user.save(update_fields=["password"])
                    audit.record(
                        "user.password", actor=SYSTEM, subject_type="user", subject_id=user.pk
                    )
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
