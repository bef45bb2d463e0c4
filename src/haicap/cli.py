"""The `haicap` command: every Django management command, with the database made ready first.

With DATABASE_URL unset it starts (or joins) the embedded PostgreSQL in HAICAP_DATA_DIR and
stops it when the last haicap process using it exits.
"""

from __future__ import annotations

import os
import signal
import sys
from types import FrameType

# Commands that never touch the database start without it.
_NO_DATABASE = {"", "help", "--help", "-h", "version", "--version", "compilemessages", "ca"}


def _exit_on_sigterm() -> None:
    """Turn SIGTERM into a normal exit so the embedded server is released cleanly."""

    def handler(signum: int, frame: FrameType | None) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, handler)


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haicap.settings")
    command = args[0] if args else ""
    if command not in _NO_DATABASE and command != "db":
        from haicap.core.embedded_db import ensure_database_url
        from haicap.core.env import data_dir

        ensure_database_url(data_dir())
    elif not os.environ.get("DATABASE_URL"):
        # Settings need a URL to load; these commands never connect.
        os.environ["DATABASE_URL"] = "postgresql://unused@localhost/unused"
    _exit_on_sigterm()

    from django.core.management import execute_from_command_line

    execute_from_command_line(["haicap", *args])
