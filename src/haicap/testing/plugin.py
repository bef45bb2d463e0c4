"""pytest plugin (loaded by pyproject's addopts): the database before Django loads.

With DATABASE_URL unset the tests run on the embedded PostgreSQL in HAICAP_DATA_DIR (their
own test database on it); with DATABASE_URL set they run on that server.
"""

from __future__ import annotations

import os
from typing import Any

import pytest


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config: Any, parser: Any, args: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haicap.settings")
    # Plain static files (no collectstatic) and one connection per test thread.
    os.environ.setdefault("HAICAP_STATIC_MANIFEST", "0")
    os.environ.setdefault("HAICAP_DB_POOL_SIZE", "0")
    # The tests see both federation roles: the hub's pages and endpoints and the province's.
    os.environ.setdefault("HAICAP_ROLE", "both")
    # The live server's request threads end without closing persistent connections.
    os.environ.setdefault("HAICAP_DB_CONN_MAX_AGE", "0")
    from haicap.core.embedded_db import ensure_database_url
    from haicap.core.env import data_dir

    ensure_database_url(data_dir())
    if os.environ.get("HAICAP_EMBEDDED_DATABASE") == "1":
        # Tests create their own database and empty tables: the owner's role.
        os.environ["DATABASE_URL"] = os.environ["DATABASE_OWNER_URL"]
