"""Killing PostgreSQL under load (issue 11): acknowledged submissions lost, the slowest
answer during the outage, and how long until the server answers again by itself.

    .venv/bin/python bench/outage.py [--seconds 20] [--clients 8]

A fresh embedded database in a temporary data directory is set up and served (2 workers);
clients file dossiers through the public API, each with its own Idempotency-Key, and keep
the codes of those answered 201. Midway the postmaster is killed with SIGKILL; `haicap serve`
starts it again. Afterwards every acknowledged code must be in the database. The reference
in the same run is the same load without the kill (requests per second, slowest answer).
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import machine, save
from haicap.testing.served import BIRTH, COMMUNE, Served, served


def load(server: Served, seconds: float, clients: int, kill_at: float | None) -> dict[str, float]:
    acknowledged: list[str] = []
    statuses: dict[int, int] = {}
    slowest = 0.0
    slowest_during = 0.0
    slow: list[tuple[float, float, int]] = []
    lock = threading.Lock()
    outage = threading.Event()
    stop = time.monotonic() + seconds

    def client(number: int) -> None:
        nonlocal slowest, slowest_during
        sent = 0
        while time.monotonic() < stop:
            sent += 1
            try:
                answer = server.request(
                    "/api/v1/public/dossiers",
                    body={
                        "procedure": BIRTH,
                        "unit": COMMUNE,
                        "applicant": {"full_name": "Người đo"},
                    },
                    headers={"Idempotency-Key": f"outage-{number}-{sent}-{time.time_ns()}"},
                    timeout=30,
                )
            except OSError:
                with lock:
                    statuses[0] = statuses.get(0, 0) + 1
                continue
            with lock:
                statuses[answer.status] = statuses.get(answer.status, 0) + 1
                slowest = max(slowest, answer.seconds)
                if outage.is_set():
                    slowest_during = max(slowest_during, answer.seconds)
                if answer.seconds > 1.5:
                    slow.append(
                        (
                            round(time.monotonic() - answer.seconds - started, 2),
                            round(answer.seconds, 2),
                            answer.status,
                        )
                    )
                if answer.status == 201:
                    acknowledged.append(answer.json()["code"])
            if answer.status == 503:
                time.sleep(0.2)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    killed_at = back_at = None
    if kill_at is not None:
        time.sleep(kill_at)
        pid = server.postmaster_pid()
        assert pid is not None
        os.kill(pid, signal.SIGKILL)
        killed_at = time.monotonic()
        print("killed at", round(killed_at - started, 2))
        outage.set()
        while server.postmaster_pid() in (None, pid) and time.monotonic() < stop:
            time.sleep(0.05)
        while server.request("/-/health", timeout=5).status != 200:
            time.sleep(0.1)
        back_at = time.monotonic()
        print("back at", round(back_at - started, 2))
        outage.clear()
    for thread in threads:
        thread.join()
    print("slow answers (started at s, took s, status):", sorted(slow)[:20])
    elapsed = time.monotonic() - started
    codes = set(acknowledged)
    stored = set(
        server.haicap(
            "shell",
            "-c",
            "from haicap.dossiers.models import Dossier;"
            "print('\\n'.join(Dossier.objects.values_list('code', flat=True)))",
        ).split()
    )
    return {
        "acknowledged": len(codes),
        "lost": len(codes - stored),
        "requests_per_s": round(sum(statuses.values()) / elapsed, 1),
        "answered_503": statuses.get(503, 0),
        "answered_5xx_other": sum(n for s, n in statuses.items() if s >= 500 and s != 503),
        "connection_errors": statuses.get(0, 0),
        "slowest_s": round(slowest, 2),
        "slowest_during_outage_s": round(slowest_during, 2),
        "slow_answers": len(slow),
        "recovered_after_s": round(back_at - killed_at, 2) if back_at and killed_at else 0.0,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--clients", type=int, default=8)
    options = parser.parse_args()
    with (
        tempfile.TemporaryDirectory(prefix="haicap-outage-") as tmp,
        served(Path(tmp) / "data", env={"HAICAP_DB_WATCHDOG_SECONDS": "1"}) as server,
    ):
        reference = load(server, options.seconds / 2, options.clients, None)
        killed = load(server, options.seconds, options.clients, options.seconds / 3)
    figures = {
        "machine": machine(),
        "clients": options.clients,
        "reference": reference,
        "killed": killed,
    }
    for name, value in figures.items():
        print(f"{name}: {value}")
    save("outage", figures)


if __name__ == "__main__":
    main()
