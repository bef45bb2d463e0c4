"""The embedded PostgreSQL: shared by commands running together, stopped by the last to leave."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import psycopg

from haicap.core import embedded_db

HOLD = """
import sys, time
from pathlib import Path
from haicap.core.embedded_db import ensure_database_url
url = ensure_database_url(Path(sys.argv[1]))
print(url, flush=True)
sys.stdin.readline()  # hold the server until told to exit
"""


def _start(data_dir: Path) -> tuple[subprocess.Popen[str], str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    process = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(data_dir)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert process.stdout is not None
    return process, process.stdout.readline().strip()


def _release(process: subprocess.Popen[str]) -> None:
    assert process.stdin is not None
    process.stdin.write("\n")
    process.stdin.flush()
    assert process.wait(timeout=30) == 0


def _wait_for(condition: object, timeout: float = 15) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if callable(condition) and condition():
            return True
        time.sleep(0.2)
    return False


def test_two_commands_share_one_server_and_the_last_stops_it(tmp_path: Path) -> None:
    first, first_url = _start(tmp_path)
    second, second_url = _start(tmp_path)
    try:
        assert first_url == second_url
        status = embedded_db.status(tmp_path)
        assert status["running"]
        assert sorted(status["used_by"]) == sorted([first.pid, second.pid])
        with psycopg.connect(first_url) as conn:
            assert conn.execute("SELECT current_database()").fetchone() == ("haicap",)
        _release(first)
        assert embedded_db.status(tmp_path)["running"], "still in use by the second command"
        _release(second)
        assert _wait_for(lambda: not embedded_db.status(tmp_path)["running"])
    finally:
        for process in (first, second):
            if process.poll() is None:
                process.kill()
        embedded_db.stop(tmp_path)


def test_a_killed_command_does_not_keep_the_server_forever(tmp_path: Path) -> None:
    killed, _url = _start(tmp_path)
    killed.kill()
    killed.wait()
    survivor, _url = _start(tmp_path)
    try:
        assert embedded_db.status(tmp_path)["used_by"] == [survivor.pid]
        _release(survivor)
        assert _wait_for(lambda: not embedded_db.status(tmp_path)["running"])
    finally:
        if survivor.poll() is None:
            survivor.kill()
        embedded_db.stop(tmp_path)
