"""`haicap staff add|import|list`: onboarding officers with their roles per unit."""

from __future__ import annotations

import csv
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from haicap.core.actors import SYSTEM
from haicap.core.errors import DomainError
from haicap.staff.actions import do_add_staff_member, do_unlock_sign_in
from haicap.staff.importer import import_staff
from haicap.staff.models import Role, RoleAssignment


class Command(BaseCommand):
    help = "Add officers with roles in a unit, import a province's officers, or list them."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="create an officer (if new) and give roles in a unit")
        add.add_argument("username")
        add.add_argument("--unit", default="", help="code of the commune or province")
        add.add_argument(
            "--agency",
            default="",
            help="identifier code of another agency (Party committee, Fatherland Front, …)",
        )
        add.add_argument(
            "--role", action="append", required=True, choices=Role.values, help="repeatable"
        )
        add.add_argument("--password", help="default: a random password, printed once")
        add.add_argument("--name", default="", help="full name")
        add.add_argument("--email", default="")
        imp = sub.add_parser(
            "import", help="CSV or XLSX: username,full_name,email,unit,roles,password"
        )
        imp.add_argument("file", type=Path)
        imp.add_argument("--passwords-out", type=Path, help="write generated passwords here (CSV)")
        unlock = sub.add_parser("unlock", help="lift an account's sign-in lockout")
        unlock.add_argument("username")
        listing = sub.add_parser("list", help="officers and their roles")
        listing.add_argument("--unit", help="only this unit code")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "add":
            self._add(options)
        elif action == "unlock":
            self._unlock(options["username"])
        elif action == "import":
            self._import(options["file"], options["passwords_out"])
        else:
            self._list(options["unit"])

    def _add(self, options: dict[str, Any]) -> None:
        try:
            result = do_add_staff_member(
                options["username"],
                unit_code=options["unit"],
                agency_code=options["agency"],
                roles=options["role"],
                actor=SYSTEM,
                password=options["password"],
                full_name=options["name"],
                email=options["email"],
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        verb = "created" if result.created else "updated"
        self.stdout.write(
            f"{result.user.username} {verb}: {', '.join(options['role'])} at "
            f"{options['agency'] or options['unit']}"
        )
        if result.password:
            self.stdout.write(f"password: {result.password}")

    def _unlock(self, username: str) -> None:
        try:
            was_locked = do_unlock_sign_in(username, actor=SYSTEM)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            f"{username}: lockout lifted" if was_locked else f"{username} was not locked out"
        )

    def _import(self, path: Path, passwords_out: Path | None) -> None:
        if not path.exists():
            raise CommandError(f"{path} does not exist")
        try:
            report = import_staff(path)
        except ValueError as exc:
            raise CommandError(f"{path}: {exc}") from exc
        generated = [(r.user.username, r.password) for r in report.imported if r.password]
        self.stdout.write(
            f"{len(report.imported)} officers imported, {len(report.refused)} refused"
        )
        for row, username, reason in report.refused:
            self.stdout.write(f"  row {row} ({username or 'no username'}): {reason}")
        if generated and passwords_out:
            with passwords_out.open("w", newline="", encoding="utf-8") as out:
                writer = csv.writer(out)
                writer.writerow(["username", "password"])
                writer.writerows(generated)
            passwords_out.chmod(0o600)
            self.stdout.write(f"generated passwords written to {passwords_out}")
        elif generated:
            for username, password in generated:
                self.stdout.write(f"  {username}: {password}")
        if report.refused:
            raise CommandError(f"{len(report.refused)} rows refused (see above)", returncode=2)

    def _list(self, unit: str | None) -> None:
        assignments = RoleAssignment.objects.select_related("user", "unit").order_by(
            "unit__code", "user__username", "role"
        )
        if unit:
            assignments = assignments.filter(unit__code=unit)
        for assignment in assignments:
            state = "" if assignment.is_active else " (inactive)"
            self.stdout.write(
                f"{assignment.unit.code} {assignment.unit.name}: "
                f"{assignment.user.username} {assignment.role}{state}"
            )
