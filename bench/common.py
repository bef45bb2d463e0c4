"""Shared pieces of the benchmarks: the machine, a served haicap, wrk, timing, databases.

Benchmarks are not tests: they print figures and append them to bench/out/*.json; the
figures worth keeping go into bench/RESULTS.md with the command that produced them.
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
HAICAP = str(Path(sys.executable).parent / "haicap")
OUT = ROOT / "bench" / "out"


def machine() -> str:
    cpu = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = ""
    with contextlib.suppress(OSError, ValueError, IndexError):
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kib / 1024 / 1024:.0f} GiB"
    return f"{os.cpu_count()} cores ({cpu}){memory}, {platform.system()} {platform.release()}"


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    print("installing wrk from Debian's packages", flush=True)
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "wrk"],
        check=True,
        env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
    )
    return shutil.which("wrk") or "wrk"


def database_url() -> str:
    """DATABASE_URL, else the embedded server's owner URL (started and held by this process)."""
    sys.path.insert(0, str(ROOT / "src"))
    from haicap.core.embedded_db import ensure_database_url
    from haicap.core.env import data_dir

    url = ensure_database_url(data_dir())
    # Benchmarks make fresh databases: the embedded server's owner may.
    return os.environ.get("DATABASE_OWNER_URL", url)


def fresh_database(url: str, name: str) -> str:
    """An empty database ``name`` on the server behind ``url`` (dropped first); its URL."""
    import psycopg
    from psycopg import sql
    from psycopg.conninfo import make_conninfo

    with psycopg.connect(make_conninfo(url, dbname="postgres"), autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def fresh_setup(name: str) -> tuple[str, dict[str, str]]:
    """A fresh database ``name`` set up by `haicap setup`: its URL and the environment for
    `run` (one connection per command, no pool)."""
    url = fresh_database(database_url(), name)
    # The owner URL too: `haicap setup` migrates as the owner, whose URL otherwise names the
    # embedded server's own database, and the fresh one stayed empty.
    env = {"DATABASE_URL": url, "DATABASE_OWNER_URL": url, "HAICAP_DB_POOL_SIZE": "0"}
    run("setup", "--no-progress", env=env)
    return url, env


def median_ms(samples: list[float], digits: int = 2) -> float:
    return round(statistics.median(samples) * 1000, digits)


def run(*args: str, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        [HAICAP, *args],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
    )
    return done.stdout


@contextlib.contextmanager
def served(port: int, *, workers: int | None = None, threads: int | None = None) -> Iterator[str]:
    """`haicap serve` on ``port`` for the length of the block; yields its base URL."""
    args = [HAICAP, "serve", "--port", str(port), "--no-access-log"]
    if workers:
        args += ["--workers", str(workers)]
    if threads:
        args += ["--threads", str(threads)]
    # The server's log goes to a file: a pipe nobody reads fills up and blocks the server.
    log_path = OUT / f"serve-{port}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log = log_path.open("w")
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=log, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        # A loaded machine starts four workers slowly: the wait can be raised.
        deadline = time.monotonic() + float(os.environ.get("HAICAP_BENCH_START_SECONDS", "60"))
        while True:
            try:
                with urllib.request.urlopen(f"{base}/-/health", timeout=2) as response:  # noqa: S310
                    if response.status == 200:
                        break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    tail = log_path.read_text(errors="replace")[-2000:]
                    raise RuntimeError(f"haicap serve did not start:\n{tail}") from None
                time.sleep(0.3)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=30)
        log.close()


_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()  # type: ignore[union-attr]
    return float(number) * _UNITS[unit]


def wrk(url: str, *, seconds: int = 15, connections: int = 32, threads: int = 2) -> dict[str, Any]:
    """Requests/s and latency percentiles of ``url`` under wrk."""
    output = subprocess.run(
        [
            ensure_wrk(),
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            url,
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    percentiles = dict(re.findall(r"^\s+(\d+)%\s+([\d.]+\w+)$", output, re.MULTILINE))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "url": url,
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),  # type: ignore[union-attr]
        "p50_ms": _ms(percentiles["50"]),
        "p99_ms": _ms(percentiles["99"]),
        "non_2xx": int(errors.group(1)) if errors else 0,
        "connections": connections,
        "seconds": seconds,
    }


def save(name: str, figures: dict[str, Any]) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    figures = {"machine": machine(), "at": time.strftime("%Y-%m-%d %H:%M"), **figures}
    (OUT / f"{name}.json").write_text(json.dumps(figures, indent=2, ensure_ascii=False))
    print(json.dumps(figures, indent=2, ensure_ascii=False))


def interleaved(
    urls: dict[str, str], *, rounds: int = 3, seconds: int = 10, connections: int = 32
) -> dict[str, dict[str, Any]]:
    """wrk each URL in turn, ``rounds`` times, and keep each one's median round.

    This machine's speed drifts from minute to minute; interleaving the reference and the
    subject and taking medians keeps their ratio honest.
    """
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name in urls}
    for _ in range(rounds):
        for name, url in urls.items():
            runs[name].append(wrk(url, seconds=seconds, connections=connections))
    result = {}
    for name, measured in runs.items():
        ordered = sorted(measured, key=lambda figures: figures["rps"])
        median = ordered[len(ordered) // 2]
        result[name] = {**median, "rounds_rps": [m["rps"] for m in measured]}
    return result
