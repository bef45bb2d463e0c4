"""National federation figures (issue 16): three provinces' systems and a hub as four
`haicap serve` processes with their own databases, over real HTTP.

    .venv/bin/python bench/federation.py

1. Backlog drain: each province receives dossiers while its worker is stopped, then the
   three workers start; changes synced per second end to end (province commit → hub commit).
   Beside it, plain HTTP POSTs of the same bodies to the hub's bare view (ratio).
2. Paced load: 1,000 changes a minute from the three provinces; the lag of each change
   (the hub's commit time minus the province's), p50 and p95.
3. National lookups per second under wrk, beside the bare Django view on the hub (ratio).

Uses the machine's PostgreSQL (HAICAP_FEDERATION_TEST_PG, default postgres@127.0.0.1).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from bench.common import HAICAP, ensure_wrk, interleaved, machine, save  # noqa: E402
from haicap.federation.tests.live import Server, common_env, recreate, run  # noqa: E402

PROVINCES = (("01", "H01", "00004"), ("04", "H04", "01273"), ("08", "H08", "02230"))
PASSWORD = "bench-password-0001"  # noqa: S105 - a throwaway benchmark account
BASE_PORT = 8140
BACKLOG = int(os.environ.get("BENCH_BACKLOG", "150"))  # dossiers per province
PACED_SECONDS = int(os.environ.get("BENCH_PACED_SECONDS", "40"))
PER_MINUTE = 1000
# The hub's connection pool per worker (0: a new connection per request, as the tests run).
HUB_POOL = os.environ.get("BENCH_HUB_POOL", "4")


def commune_of(env: dict[str, str], province: str) -> str:
    rows = Server("", env, 0).sql(
        "SELECT u.code FROM units_adminunit u JOIN units_adminunit p ON p.id = u.province_id"
        " JOIN units_servicecenter c ON c.unit_id = u.id"
        " WHERE p.code = %s AND u.valid_to IS NULL AND u.tier = 'commune' ORDER BY u.code LIMIT 1",
        [province],
    )
    return str(rows[0][0])


def intake(base: str, token: str, unit: str, name: str) -> None:
    answer = requests.post(
        f"{base}/api/v1/dossiers",
        headers={"Authorization": f"Bearer {token}"},
        json={
            "procedure": "HCP.CT.001",
            "unit": unit,
            "channel": 1,
            "applicant": {"full_name": name},
        },
        timeout=30,
    )
    answer.raise_for_status()


def hub_count(hub: Server) -> int:
    return int(hub.sql("SELECT count(*) FROM federation_syncedprogress")[0][0])


def lags(provinces: list[Server], hub: Server, since: float) -> list[float]:
    arrived = {
        (code, seq): received.timestamp()
        for code, seq, received in hub.sql(
            "SELECT d.code, p.seq, p.received_at FROM federation_syncedprogress p"
            " JOIN federation_synceddossier d ON d.id = p.dossier_id"
        )
    }
    result = []
    for province in provinces:
        for code, seq, at in province.sql(
            "SELECT d.code, e.seq, e.at FROM dossiers_dossierevent e"
            " JOIN dossiers_dossier d ON d.id = e.dossier_id WHERE e.at >= to_timestamp(%s)",
            [since],
        ):
            if (code, seq) in arrived:
                result.append(arrived[(code, seq)] - at.timestamp())
    return result


def bodies(env: dict[str, str]) -> str:
    """The DongBoHoSoMC and CapNhatTienDoHoSoMC bodies of every sent change, batched as the
    worker batches them, dumped by the province's own payload code."""
    script = (
        "import json\n"
        "from haicap.federation import payload\n"
        "from haicap.federation.models import OutboxItem\n"
        "from haicap.dossiers.models import DossierEvent\n"
        "codes = payload.agency_codes()\n"
        "rows = list(OutboxItem.objects.order_by('id').values_list('dossier_id', 'event_id'))\n"
        "out = []\n"
        "for i in range(0, len(rows), 100):\n"
        "    part = rows[i:i+100]\n"
        "    items = payload.dossiers([d for d, _e in part], codes=codes)\n"
        "    picked = DossierEvent.objects.filter(pk__in=[e for _d, e in part])\n"
        "    events = list(picked)\n"
        "    ids = dict(picked.values_list('dossier_id', 'dossier__code'))\n"
        "    steps = payload.progress(events, ids)\n"
        "    out.append(json.dumps({'service': 'DongBoHoSoMC', 'data': items}))\n"
        "    out.append(json.dumps({'service': 'CapNhatTienDoHoSoMC', 'data': steps}))\n"
        "print(json.dumps(out))\n"
    )
    return run(env, "shell", "-c", script)


def plain_posts(url: str, all_bodies: list[list[str]]) -> float:
    """Changes/s when the same bodies are POSTed, one thread per province, to a bare view."""
    changes = sum(len(json.loads(b)["data"]) for group in all_bodies for b in group) // 2
    started = time.monotonic()

    def send(group: list[str]) -> None:
        http = requests.Session()
        for body in group:
            http.post(
                url, data=body.encode(), headers={"Content-Type": "application/json"}, timeout=30
            )

    threads = [threading.Thread(target=send, args=(group,)) for group in all_bodies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return changes / (time.monotonic() - started)


def first_and_last_arrival(hub: Server) -> tuple[float, float]:
    first, last = hub.sql(
        "SELECT min(received_at), max(received_at) FROM federation_syncedprogress"
    )[0]
    return first.timestamp(), last.timestamp()


def main() -> None:
    wrk = ensure_wrk()
    template = recreate("haicap_federation_bench_template")
    template_env = {**common_env(template), "HAICAP_ROLE": "province"}
    run(template_env, "setup", "--no-progress")
    run(template_env, "createadmin", "--password", "bench-admin-password")
    hub_env = {
        **common_env(
            recreate("haicap_federation_bench_hub", template="haicap_federation_bench_template")
        ),
        "HAICAP_ROLE": "hub",
        "SECRET_KEY": "bench-hub-secret",
    }
    hub = Server(
        f"http://127.0.0.1:{BASE_PORT}",
        {**hub_env, "HAICAP_RATE_LIMIT_LOOKUP": "off", "HAICAP_DB_POOL_SIZE": HUB_POOL},
        BASE_PORT,
    )
    provinces: list[Server] = []
    tokens: list[str] = []
    units: list[str] = []
    for i, (code, dstcode, _unit) in enumerate(PROVINCES, start=1):
        url = recreate(
            f"haicap_federation_bench_{code}", template="haicap_federation_bench_template"
        )
        env = {
            **common_env(url),
            "HAICAP_ROLE": "province",
            "HAICAP_FEDERATION_HUB_URL": hub.url,
            "HAICAP_FEDERATION_DSTCODE": dstcode,
            "HAICAP_FEDERATION_USERNAME": f"user{code}",
            "HAICAP_FEDERATION_PASSWORD": PASSWORD,
            "HAICAP_FEDERATION_KEY": f"bench-key-{code}-0123456789",
        }
        run(
            hub_env,
            "sync",
            "province",
            code,
            "--dstcode",
            dstcode,
            "--username",
            f"user{code}",
            "--password",
            PASSWORD,
            "--key",
            env["HAICAP_FEDERATION_KEY"],
        )
        tokens.append(run(env, "token", "create", "admin").strip().splitlines()[-1])
        units.append(commune_of(env, code))
        provinces.append(Server(f"http://127.0.0.1:{BASE_PORT + i}", env, BASE_PORT + i))
    hub.start(workers=2)
    workers: list[subprocess.Popen[bytes]] = []
    figures: dict[str, Any] = {"machine": machine(), "hub_pool": HUB_POOL}
    try:
        for province in provinces:
            province.start_without_worker()

        # 1. Backlog, then three workers drain it.
        def backlog(p: Server, t: str, u: str) -> None:
            for n in range(BACKLOG):
                intake(p.url, t, u, f"Người thử {n}")

        threads = [
            threading.Thread(target=backlog, args=args)
            for args in zip(provinces, tokens, units, strict=True)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        total = BACKLOG * len(provinces)
        started = time.monotonic()
        workers = [
            subprocess.Popen(
                [HAICAP, "worker", "--concurrency", "1"],
                env={**os.environ, **p.env},
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for p in provinces
        ]
        while hub_count(hub) < total and time.monotonic() - started < 600:
            time.sleep(0.2)
        drained = time.monotonic() - started
        synced = hub_count(hub)
        first, last = first_and_last_arrival(hub)
        figures["backlog"] = {
            "changes": total,
            "synced": synced,
            "seconds": round(drained, 2),
            "changes_per_s": round(synced / drained, 1),
            # The sync itself, without the workers' start-up: first to last arrival.
            "arrival_seconds": round(last - first, 2),
            "arrival_changes_per_s": round(synced / max(last - first, 1e-3), 1),
        }
        groups = [json.loads(bodies(p.env).strip().splitlines()[-1]) for p in provinces]
        plain = plain_posts(f"{hub.url}/-/bare", groups)
        figures["backlog"]["plain_post_changes_per_s"] = round(plain, 1)
        figures["backlog"]["ratio"] = round(figures["backlog"]["changes_per_s"] / plain, 3)
        figures["backlog"]["ratio_arrival"] = round(
            figures["backlog"]["arrival_changes_per_s"] / plain, 3
        )
        print(json.dumps({"backlog": figures["backlog"]}), flush=True)
        # 2. Paced: 1,000 changes a minute from the three provinces together.
        since = time.time()
        interval = 60 / (PER_MINUTE / len(provinces))
        stop_at = time.monotonic() + PACED_SECONDS

        def paced(p: Server, t: str, u: str) -> None:
            n = 0
            next_at = time.monotonic()
            while time.monotonic() < stop_at:
                intake(p.url, t, u, f"Người đều {n}")
                n += 1
                next_at += interval
                time.sleep(max(0.0, next_at - time.monotonic()))

        threads = [
            threading.Thread(target=paced, args=args)
            for args in zip(provinces, tokens, units, strict=True)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        time.sleep(10)
        measured = sorted(lags(provinces, hub, since))
        sent = sum(
            int(
                p.sql(
                    "SELECT count(*) FROM dossiers_dossierevent WHERE at >= to_timestamp(%s)",
                    [since],
                )[0][0]
            )
            for p in provinces
        )
        figures["paced"] = {
            "offered_per_min": round(sent / PACED_SECONDS * 60),
            "changes": sent,
            "arrived": len(measured),
            "lag_p50_s": round(statistics.median(measured), 3) if measured else None,
            "lag_p95_s": round(measured[int(len(measured) * 0.95) - 1], 3) if measured else None,
        }
        print(json.dumps({"paced": figures["paced"]}), flush=True)
        # 3. National lookups beside the bare view.
        code, secret = provinces[0].sql(
            "SELECT code, secret FROM dossiers_dossier ORDER BY id LIMIT 1"
        )[0]
        for worker in workers:
            worker.terminate()
        lookup_url = f"{hub.url}/api/v1/national/dossiers/{code}?secret={secret}"
        probe = requests.get(lookup_url, timeout=30)
        print(json.dumps({"probe": probe.status_code, "body": probe.text[:200]}), flush=True)
        for url in (lookup_url, f"{hub.url}/-/bare"):
            print(
                subprocess.run(
                    [wrk, "-t2", "-c8", "-d2s", "--latency", url], capture_output=True, text=True
                ).stdout[-600:],
                flush=True,
            )
        figures["lookup"] = interleaved(
            {
                "bare": f"{hub.url}/-/bare",
                "national_lookup": f"{hub.url}/api/v1/national/dossiers/{code}?secret={secret}",
            },
            rounds=3,
            seconds=8,
            connections=32,
        )
        figures["lookup"]["ratio"] = round(
            figures["lookup"]["national_lookup"]["rps"] / figures["lookup"]["bare"]["rps"], 3
        )
    finally:
        for worker in workers:
            worker.terminate()
        for province in provinces:
            province.stop()
        hub.stop()
    print(json.dumps(figures, indent=2, ensure_ascii=False))
    save("federation", figures)


if __name__ == "__main__":
    main()
