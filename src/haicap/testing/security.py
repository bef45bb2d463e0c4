"""`make security`: schemathesis against the served OpenAPI, anonymous and with an officer's
token, failing on any server error or answer that breaks the schema.

    python -m haicap.testing.security [--port 8199] [--examples 5] [--seconds 90]

Sets the database up (`haicap setup`), adds a fuzzing officer at Phường Ba Đình with a token,
serves haicap on the port, runs schemathesis twice with a time budget each, prints the cases
and failures of each run, and stops the server. Exit status 1 when a run found a failure.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_schema_conformance",
    ]
)
OFFICER = "fuzz.officer"


def _bin(name: str) -> str:
    beside = Path(sys.executable).with_name(name)
    return str(beside) if beside.exists() else (shutil.which(name) or name)


def _haicap(*args: str) -> str:
    done = subprocess.run(  # noqa: S603 - our own command
        [_bin("haicap"), *args], capture_output=True, text=True, check=False, timeout=600
    )
    if done.returncode != 0:
        sys.exit(f"haicap {' '.join(args[:2])} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def _token() -> str:
    password = secrets.token_urlsafe(18)
    _haicap("staff", "add", OFFICER, "--unit", "00004", "--role", "receiver", "--role",
            "specialist", "--password", password, "--name", "Kiểm Thử Tự Động")  # fmt: skip
    return _haicap("token", "create", OFFICER).strip().splitlines()[-1].strip()


def _wait_until_up(url: str, server: subprocess.Popen[bytes], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit("haicap serve stopped before it answered")
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:  # noqa: S310 - loopback
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(1)
    sys.exit(f"haicap serve did not answer {url} within {seconds:.0f} s")


def _run(schema: str, *, examples: int, seconds: int, header: str | None) -> tuple[int, str]:
    command = [
        _bin("schemathesis"), "run", schema, "--checks", CHECKS,
        "--phases", "examples,coverage,fuzzing", "--max-examples", str(examples),
        "--max-time", str(seconds), "--no-shrink", "--seed", "11",
    ]  # fmt: skip
    if header:
        command += ["--header", header]
    done = subprocess.run(  # noqa: S603 - our own tools
        command, capture_output=True, text=True, check=False, timeout=seconds + 300
    )
    return done.returncode, done.stdout + done.stderr


def _summary(output: str) -> str:
    match = re.search(r"Test cases:\s*\n\s*(.+)", output)
    return match.group(1).strip() if match else "no summary"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("SECURITY_PORT", 8199)))
    parser.add_argument("--examples", type=int, default=5, help="per operation and phase")
    parser.add_argument("--seconds", type=int, default=90, help="time budget of each run")
    options = parser.parse_args()
    _haicap("setup")
    token = _token()
    base = f"http://127.0.0.1:{options.port}"
    server = subprocess.Popen(  # noqa: S603 - our own command
        [_bin("haicap"), "serve", "--host", "127.0.0.1", "--port", str(options.port),
         "--workers", "2", "--no-worker", "--no-access-log"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    failed = False
    try:
        _wait_until_up(f"{base}/-/health", server, 180)
        for label, header in (("anonymous", None), ("officer", f"Authorization: Bearer {token}")):
            status, output = _run(
                f"{base}/api/v1/openapi.json",
                examples=options.examples,
                seconds=options.seconds,
                header=header,
            )
            print(f"schemathesis, {label}: {_summary(output)} (exit {status})")
            if status != 0:
                failed = True
                failures = output.split("FAILURES", 1)[-1].split("WARNINGS", 1)[0]
                print(failures.replace(token, "[token]")[-6000:])
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
