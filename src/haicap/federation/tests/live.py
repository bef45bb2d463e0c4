"""A province and a hub as two `haicap serve` processes with their own databases."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import requests
from psycopg import sql
from psycopg.conninfo import make_conninfo

HAICAP = str(Path(sys.executable).parent / "haicap")
PASSWORD = "province-password-01"
KEY = "province-signing-key-of-hanoi-0123456789"
OTHER_KEY = "province-signing-key-of-caobang-987654"


def server_url() -> str:
    return os.environ.get(
        "HAICAP_FEDERATION_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres"
    )


def database_url(name: str) -> str:
    return make_conninfo(server_url(), dbname=name)


def recreate(name: str, template: str | None = None) -> str:
    with psycopg.connect(server_url(), autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        if template:
            conn.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                    sql.Identifier(name), sql.Identifier(template)
                )
            )
        else:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return f"postgresql://postgres@127.0.0.1:5432/{name}"


# The test run's own roles (the embedded server's owner URL) must not follow a live server to
# its database: it would migrate the test database and serve an empty one.
_NOT_INHERITED = ("DATABASE_OWNER_URL", "MIGRATE_DATABASE_URL", "HAICAP_DATABASE_APP_ROLE")


def child_env(env: dict[str, str]) -> dict[str, str]:
    inherited = {k: v for k, v in os.environ.items() if k not in _NOT_INHERITED}
    return {**inherited, **env}


def run(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [HAICAP, *args],
        capture_output=True,
        text=True,
        env=child_env(env),
        check=False,
        timeout=300,
    )
    if done.returncode:
        raise RuntimeError(f"haicap {' '.join(args)} failed: {done.stderr[-2000:]}")
    return done.stdout


@dataclass
class Server:
    url: str
    env: dict[str, str]
    port: int
    process: subprocess.Popen[str] | None = None

    def log_file(self) -> Path:
        """Where the server's errors go, for a failing test to be read."""
        return Path(tempfile.gettempdir()) / f"haicap-federation-live-{self.port}.log"

    def start_without_worker(self) -> None:
        self.start(worker=False)

    def start(self, *, worker: bool = True, workers: int = 1) -> None:
        extra = [] if worker else ["--no-worker"]
        self.process = subprocess.Popen(
            [
                HAICAP,
                "serve",
                "--port",
                str(self.port),
                "--no-access-log",
                "--workers",
                str(workers),
                "--threads",
                "4",
                *extra,
            ],
            env=child_env(self.env),
            stdout=subprocess.DEVNULL,
            stderr=self.log_file().open("a"),
            text=True,
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{self.url}/-/health", timeout=2) as answer:  # noqa: S310
                    if answer.status == 200:
                        return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("haicap serve did not start") from None
                time.sleep(0.3)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=30)
            self.process = None

    def sql_write(self, query: str, params: Any = None) -> None:
        """Test set-up only: change the hub's data behind its back (a lost or drifted copy)."""
        with psycopg.connect(self.env["DATABASE_URL"]) as conn:
            conn.execute(query, params)

    def sql(self, query: str, params: Any = None) -> list[tuple[Any, ...]]:
        with psycopg.connect(self.env["DATABASE_URL"]) as conn:
            return list(conn.execute(query, params).fetchall())


@dataclass
class Pair:
    province: Server
    hub: Server
    token: str

    def api(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        return requests.request(
            method,
            f"{self.province.url}/api/v1{path}",
            headers={"Authorization": f"Bearer {self.token}"},
            timeout=30,
            **kwargs,
        )

    def push(self) -> str:
        return run(self.province.env, "sync", "push")


def common_env(url: str) -> dict[str, str]:
    return {
        "DATABASE_URL": url,
        "HAICAP_DB_POOL_SIZE": "0",
        "HAICAP_RATE_LIMIT_LOOKUP": "off",
        "HAICAP_RATE_LIMIT_FILING": "off",
        "HAICAP_STATIC_MANIFEST": "0",
        "HAICAP_FEDERATION_TIMEOUT": "15",
    }


@contextlib.contextmanager
def two_servers(prefix: str, province_port: int, hub_port: int) -> Iterator[Pair]:
    province_url = recreate(f"{prefix}_province")
    province_env = {
        **common_env(province_url),
        "HAICAP_ROLE": "province",
        "HAICAP_SITE_URL": f"http://127.0.0.1:{province_port}",
        "HAICAP_FEDERATION_HUB_URL": f"http://127.0.0.1:{hub_port}",
        "HAICAP_FEDERATION_DSTCODE": "H01",
        "HAICAP_FEDERATION_USERNAME": "hanoi",
        "HAICAP_FEDERATION_PASSWORD": PASSWORD,
        "HAICAP_FEDERATION_KEY": KEY,
    }
    run(province_env, "setup", "--no-progress")
    hub_url = recreate(f"{prefix}_hub", template=f"{prefix}_province")
    hub_env = {
        **common_env(hub_url),
        "HAICAP_ROLE": "hub",
        "SECRET_KEY": "hub-secret-key-for-tests-only",
    }
    run(
        hub_env,
        "sync",
        "province",
        "01",
        "--dstcode",
        "H01",
        "--username",
        "hanoi",
        "--password",
        PASSWORD,
        "--key",
        KEY,
        "--portal-url",
        f"http://127.0.0.1:{province_port}",
    )
    run(
        hub_env,
        "sync",
        "province",
        "04",
        "--dstcode",
        "H04",
        "--username",
        "caobang",
        "--password",
        PASSWORD,
        "--key",
        OTHER_KEY,
    )
    run(province_env, "createadmin", "--password", "admin-password-for-tests")
    # The officer dossiers are assigned to (the technical superuser works on none).
    run(
        province_env,
        "staff",
        "add",
        "xuly",
        "--unit",
        "00004",
        "--role",
        "specialist",
        "--role",
        "leader",
        "--role",
        "clerk",
        "--password",
        "officer-password-for-tests",
        "--name",
        "Trần Văn Xử Lý",
    )
    token = run(province_env, "token", "create", "admin").strip().splitlines()[-1]
    province = Server(f"http://127.0.0.1:{province_port}", province_env, province_port)
    hub = Server(f"http://127.0.0.1:{hub_port}", hub_env, hub_port)
    province.start()
    hub.start()
    try:
        yield Pair(province, hub, token)
    finally:
        province.stop()
        hub.stop()
