"""The application's database role cannot empty the audit trail or switch its triggers off."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest
from django.db import connection
from psycopg import sql
from psycopg.conninfo import make_conninfo

from haicap.core import audit
from haicap.core.actors import SYSTEM
from haicap.core.dbroles import create_app_role, grant_app_role

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def app_connection() -> Iterator[psycopg.Connection[tuple[object, ...]]]:
    """A connection as a fresh application role, granted as `haicap setup` grants it."""
    settings_dict = connection.settings_dict
    role = f"{settings_dict['NAME']}_app"[:60]
    with connection.cursor() as cursor:
        create_app_role(cursor, role)
        grant_app_role(cursor, role)
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    kept = {k: str(v) for k, v in params.items() if isinstance(v, str | int) and k != "password"}
    conninfo = make_conninfo("", **{**kept, "user": role})
    with psycopg.connect(conninfo, autocommit=True) as conn:
        yield conn
    with connection.cursor() as cursor:
        cursor.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(role)).as_string(None))
        cursor.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(role)).as_string(None))


def _count(conn: psycopg.Connection[tuple[object, ...]]) -> int:
    row = conn.execute("SELECT count(*) FROM core_auditevent").fetchone()
    assert row is not None
    return int(str(row[0]))


def test_the_app_role_cannot_truncate_or_disable_the_audit_trail(
    app_connection: psycopg.Connection[tuple[object, ...]],
) -> None:
    audit.record("test.event", actor=SYSTEM, subject_type="test")
    conn = app_connection
    # It reads and adds rows as the application does.
    before = _count(conn)
    assert before >= 1
    conn.execute(
        "INSERT INTO core_auditevent (at, actor_label, subject_type, subject_id, verb) "
        "VALUES (now(), 'system', 'test', '', 'test.more')"
    )
    conn.execute("SELECT count(*) FROM dossiers_dossier")
    for statement in (
        "TRUNCATE core_auditevent",
        "ALTER TABLE core_auditevent DISABLE TRIGGER ALL",
        "ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_append_only",
        "DROP TRIGGER core_auditevent_append_only ON core_auditevent",
        "UPDATE core_auditevent SET verb = 'x'",
        "DELETE FROM core_auditevent",
        "SET session_replication_role = replica",
    ):
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(statement)
    assert _count(conn) == before + 1
