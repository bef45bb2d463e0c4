"""Which database errors are an outage (503) and which are bugs or bad queries (not)."""

from __future__ import annotations

import psycopg
import pytest
from django.db import connection, transaction
from django.db.utils import OperationalError

from haicap.core.outage import is_database_outage
from haicap.testing.served import free_port


def test_an_unreachable_server_is_an_outage() -> None:
    with pytest.raises(psycopg.OperationalError) as refused:
        psycopg.connect(f"host=127.0.0.1 port={free_port()} connect_timeout=2")
    assert is_database_outage(refused.value)
    wrapped = OperationalError("connection failed")
    wrapped.__cause__ = refused.value
    assert is_database_outage(wrapped)


def _sleep_past_the_timeout() -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL statement_timeout = 10")
        cursor.execute("SELECT pg_sleep(1)")


@pytest.mark.django_db
def test_a_cancelled_statement_is_not_an_outage() -> None:
    with pytest.raises(OperationalError) as cancelled:
        _sleep_past_the_timeout()
    assert not is_database_outage(cancelled.value)
    assert not is_database_outage(ValueError("connection"))
