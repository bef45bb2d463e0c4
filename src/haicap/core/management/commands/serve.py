"""`haicap serve`: the production web server (gunicorn), with static files served by WhiteNoise."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.core.management.base import BaseCommand
from gunicorn.app.base import BaseApplication

from haicap.core import embedded_db
from haicap.core.env import env_int

logger = logging.getLogger(__name__)


class _Gunicorn(BaseApplication):
    def __init__(self, application: WSGIHandler, options: dict[str, Any]) -> None:
        self.application = application
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> WSGIHandler:
        return self.application


class Command(BaseCommand):
    help = "Serve haicap with gunicorn (not the development server)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
        parser.add_argument("--port", type=int, default=8000, help="port to listen on")
        parser.add_argument(
            "--workers",
            type=int,
            # Processes answering requests; HAICAP_WEB_WORKERS, else two per core.
            default=env_int("HAICAP_WEB_WORKERS", 2 * (os.cpu_count() or 1), minimum=1),
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=env_int("HAICAP_WEB_THREADS", 2, minimum=1),
            help="threads per worker process",
        )
        parser.add_argument("--no-access-log", action="store_true", help="quiet access log")
        parser.add_argument(
            "--no-worker", action="store_true", help="do not run a background job worker beside"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("collectstatic", interactive=False, verbosity=0)
        from haicap.wsgi import application

        bind = f"{options['host']}:{options['port']}"
        self.stdout.write(f"haicap answering on http://{bind}/ (Ctrl+C stops it)")
        self.stdout.flush()
        # Notifications and other jobs run in a worker process beside the web server.
        worker = (
            None
            if options["no_worker"]
            else subprocess.Popen([sys.executable, "-m", "haicap", "worker"])
        )
        if os.environ.get("HAICAP_EMBEDDED_DATABASE") == "1":
            _watch_embedded_database(env_int("HAICAP_DB_WATCHDOG_SECONDS", 3, minimum=0))
        try:
            self._serve(application, bind, options)
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=30)

    def _serve(self, application: WSGIHandler, bind: str, options: dict[str, Any]) -> None:
        _Gunicorn(
            application,
            {
                "bind": bind,
                "workers": options["workers"],
                "threads": options["threads"],
                "worker_class": "gthread" if options["threads"] > 1 else "sync",
                "timeout": 60,
                "graceful_timeout": 20,
                "keepalive": 5,
                # Path without the query string: searches may carry ID or phone numbers.
                "accesslog": None if options["no_access_log"] else "-",
                "access_log_format": '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms',
                # …and the tokens of account links masked (core/accesslog.py).
                "logger_class": "haicap.core.accesslog.MaskingAccessLogger",
                "errorlog": "-",
                "loglevel": "warning",
                "proc_name": "haicap",
            },
        ).run()


def _watch_embedded_database(every: int) -> None:
    """Keep the embedded server up: start it again when it dies or `haicap db stop` stops it.

    A daemon thread of the master process (gunicorn's workers are forked without it).
    """
    if not every:
        return
    data_dir = settings.DATA_DIR
    stop = threading.Event()

    def watch() -> None:
        while not stop.wait(every):
            try:
                embedded_db.ensure_running(data_dir)
            except Exception:  # the next round tries again
                logger.exception("the embedded database could not be started again")

    threading.Thread(target=watch, name="haicap-db-watchdog", daemon=True).start()
