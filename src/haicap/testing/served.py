"""A real `haicap serve` on its own embedded PostgreSQL in a temporary data directory.

For the tests that must see the whole machine: the server's log after concurrent retries,
an outage (PostgreSQL stopped under the server) and its recovery. Setting up takes about
twenty seconds, so a test module shares one instance.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HAICAP = str(Path(sys.executable).parent / "haicap")
# A procedure filed online and a commune with a centre, both in the reference data.
BIRTH = "1.001193.000.00.00.H01"
COMMUNE = "00004"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes
    seconds: float

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Served:
    data_dir: Path
    base: str
    env: dict[str, str]
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def pgdata(self) -> Path:
        return self.data_dir / "pgdata"

    def server_log(self) -> str:
        """PostgreSQL's log."""
        return (self.pgdata / "log").read_text(errors="replace")

    def serve_log(self) -> str:
        """What `haicap serve` printed (gunicorn, Django's loggers, the console backends)."""
        return (self.data_dir / "serve.log").read_text(errors="replace")

    def haicap(self, *args: str) -> str:
        done = subprocess.run(  # noqa: S603 - our own command
            [HAICAP, *args], env=self.env, capture_output=True, text=True, check=True, timeout=120
        )
        return done.stdout

    def request(
        self,
        path: str,
        *,
        body: Any = None,
        headers: dict[str, str] | None = None,
        timeout: float = 10,
    ) -> Answer:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(  # noqa: S310 - our own server
            self.base + path,
            data=data,
            headers={"Content-Type": "application/json", **(headers or {})},
            method="POST" if data is not None else "GET",
        )
        started = time.monotonic()
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
                return Answer(
                    response.status,
                    dict(response.headers),
                    response.read(),
                    time.monotonic() - started,
                )
        except urllib.error.HTTPError as error:
            return Answer(error.code, dict(error.headers), error.read(), time.monotonic() - started)

    def postmaster_pid(self) -> int | None:
        pid_file = self.pgdata / "postmaster.pid"
        if not pid_file.exists():
            return None
        pid = int(pid_file.read_text().split()[0])
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        return pid

    def wait_until(self, path: str, status: int, *, seconds: float) -> Answer:
        deadline = time.monotonic() + seconds
        while True:
            try:
                answer = self.request(path, timeout=3)
                if answer.status == status or time.monotonic() > deadline:
                    return answer
            except OSError:
                if time.monotonic() > deadline:
                    raise
            time.sleep(0.2)


def _environment(data_dir: Path, extra: dict[str, str]) -> dict[str, str]:
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DATABASE_URL", "HAICAP_", "PYTEST", "DJANGO_"))
    }
    env.update(
        {
            "HAICAP_DATA_DIR": str(data_dir),
            "HAICAP_DB_POOL_SIZE": "4",
            "HAICAP_STATIC_MANIFEST": "0",
            "HAICAP_RATE_LIMIT_FILING": "off",
            "HAICAP_RATE_LIMIT_LOOKUP": "off",
            **extra,
        }
    )
    return env


@contextmanager
def served(
    data_dir: Path, *, workers: int = 2, env: dict[str, str] | None = None
) -> Iterator[Served]:
    """Set up an embedded database in ``data_dir`` and serve it; stop both afterwards."""
    data_dir.mkdir(parents=True, exist_ok=True)
    data_dir.chmod(0o755)  # run as root, PostgreSQL runs as another user
    environment = _environment(data_dir, env or {})
    port = free_port()
    instance = Served(data_dir, f"http://127.0.0.1:{port}", environment)
    instance.haicap("setup", "--no-progress")
    # The server's own log goes to a file: a pipe nobody reads would fill and block it.
    with (data_dir / "serve.log").open("wb") as log:
        instance.process = subprocess.Popen(  # noqa: S603
            [HAICAP, "serve", "--port", str(port), "--workers", str(workers), "--no-worker"],
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        try:
            answer = instance.wait_until("/-/health", 200, seconds=60)
        except OSError:
            answer = None
        if answer is None or answer.status != 200:
            raise RuntimeError(f"haicap serve did not start:\n{instance.serve_log()[-3000:]}")
        yield instance
    finally:
        instance.process.send_signal(signal.SIGTERM)
        try:
            instance.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            instance.process.kill()
        subprocess.run(  # noqa: S603 - our own command
            [HAICAP, "db", "stop"], env=environment, capture_output=True, check=False
        )
        shutil.rmtree(data_dir, ignore_errors=True)
