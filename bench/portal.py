"""Citizen portal figures (issue 4): the catalogue page, a procedure page and the public
lookup API under `haicap serve` (gunicorn, production settings) with wrk, beside the bare
JSON view on the same server in the same run; and how many users one box carries at 30 s
think time (Little's law: users = requests/s × 30 s).

    .venv/bin/python bench/portal.py

The per-client rate limits are switched off for the run: wrk is one client.
"""

from __future__ import annotations

import json
import os
import sys
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import database_url, interleaved, save, served, wrk

THINK_SECONDS = 30
BIRTH = "1.001193.000.00.00.H01"


def file_one(base: str) -> tuple[str, str]:
    body = json.dumps(
        {"procedure": BIRTH, "unit": "00004", "applicant": {"full_name": "Người đo tải"}}
    ).encode()
    request = urllib.request.Request(  # noqa: S310
        f"{base}/api/v1/public/dossiers",
        data=body,
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request) as response:  # noqa: S310
        created = json.load(response)
    return created["code"], created["secret"]


def main() -> None:
    database_url()  # the embedded server stays up for the whole run
    os.environ.update(
        {
            "HAICAP_RATE_LIMIT_LOOKUP": "off",
            "HAICAP_RATE_LIMIT_FILING": "off",
        }
    )
    # A port of one's own when several people bench on one machine.
    with served(int(os.environ.get("HAICAP_BENCH_PORT", "8100"))) as base:
        code, secret = file_one(base)
        lookup = f"{base}/api/v1/public/dossiers/{code}?secret={secret}"
        for url in (lookup, f"{base}/procedures/", f"{base}/procedures/{BIRTH}/"):
            wrk(url, seconds=3)  # warm every worker
        figures = interleaved(
            {
                "bare_json": f"{base}/-/bare",
                "lookup_api": lookup,
                "catalogue_page": f"{base}/procedures/",
                "procedure_page": f"{base}/procedures/{BIRTH}/",
            }
        )
    bare = figures["bare_json"]["rps"]
    for measured in figures.values():
        measured["ratio_to_bare"] = round(measured["rps"] / bare, 3)
        measured["users_at_30s_think_time"] = int(measured["rps"] * THINK_SECONDS)
    save(
        "portal",
        {
            **figures,
            "target_lookups_per_second": 4000,
            "lookup_share_of_target": round(figures["lookup_api"]["rps"] / 4000, 3),
        },
    )


if __name__ == "__main__":
    main()
