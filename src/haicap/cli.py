"""The `haicap` command: every Django management command, with the database made ready first.

With DATABASE_URL unset it starts (or joins) the embedded PostgreSQL in HAICAP_DATA_DIR and
stops it when the last haicap process using it exits.
"""

from __future__ import annotations

import os
import signal
import sys
from types import FrameType

# Commands that change the schema run as the owner role (DATABASE_OWNER_URL) when one is set.
_OWNER_COMMANDS = {"setup", "migrate", "makemigrations", "flush", "createcachetable"}
# Commands that never touch the database start without it.
_NO_DATABASE = {"", "help", "--help", "-h", "version", "--version", "compilemessages", "ca"}


def _exit_on_sigterm() -> None:
    """Turn SIGTERM into a normal exit so the embedded server is released cleanly."""

    def handler(signum: int, frame: FrameType | None) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, handler)


def _run_as_owner() -> None:
    """Migrate as the owner; grant the application's role (DATABASE_URL's user) afterwards."""
    owner = os.environ.get("DATABASE_OWNER_URL") or os.environ.get("MIGRATE_DATABASE_URL")
    if not owner:
        return
    from urllib.parse import unquote, urlsplit

    app_role = unquote(urlsplit(os.environ["DATABASE_URL"]).username or "")
    if app_role:
        os.environ["HAICAP_DATABASE_APP_ROLE"] = app_role
    os.environ["DATABASE_URL"] = owner


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haicap.settings")
    command = args[0] if args else ""
    if command not in _NO_DATABASE and command != "db":
        from haicap.core.embedded_db import ensure_database_url
        from haicap.core.env import data_dir

        ensure_database_url(data_dir())
        if command in _OWNER_COMMANDS:
            _run_as_owner()
    elif not os.environ.get("DATABASE_URL"):
        # Settings need a URL to load; these commands never connect.
        os.environ["DATABASE_URL"] = "postgresql://unused@localhost/unused"
    _exit_on_sigterm()

    from django.core.management import execute_from_command_line

    execute_from_command_line(["haicap", *args])
