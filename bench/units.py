"""Unit registry figures (issue 2): `haicap units load` on an empty database, and
GET /api/v1/units/{code} under wrk beside the bare JSON view on the same server.

    .venv/bin/python bench/units.py
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


from bench.common import database_url, fresh_database, interleaved, run, save, served, wrk

BENCH_DB = "haicap_bench_units"


def main() -> None:
    url = database_url()
    bench_url = fresh_database(url, BENCH_DB)
    env = {"DATABASE_URL": bench_url}
    run("migrate", "-v0", env=env)
    started = time.monotonic()
    first = run("units", "load", "--no-progress", env=env).strip()
    load_seconds = time.monotonic() - started
    started = time.monotonic()
    second = run("units", "load", "--no-progress", env=env).strip()
    reload_seconds = time.monotonic() - started

    os.environ["DATABASE_URL"] = url  # the server benchmark uses the main, set-up database
    with served(8100) as base:
        wrk(f"{base}/api/v1/units/00004", seconds=3)  # warm every worker's cache
        figures = interleaved(
            {
                "bare_json": f"{base}/-/bare",
                "unit_detail": f"{base}/api/v1/units/00004",
                "unit_detail_on_2025_06_30": f"{base}/api/v1/units/00004?on=2025-06-30",
            }
        )
    save(
        "units",
        {
            "units_load_empty_db_seconds": round(load_seconds, 2),
            "units_load_output": first,
            "units_load_again_seconds": round(reload_seconds, 2),
            "units_load_again_output": second,
            **figures,
            "ratio_unit_to_bare": round(
                figures["unit_detail"]["rps"] / figures["bare_json"]["rps"], 3
            ),
        },
    )


if __name__ == "__main__":
    main()
