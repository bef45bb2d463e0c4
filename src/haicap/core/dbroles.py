"""Two database roles: the owner runs migrations, the application runs as a role that may
read and write rows but not change tables, TRUNCATE or alter the audit trail, or switch its
triggers off (only a table's owner may ALTER it). docs/configuration.md shows the set-up.
"""

from __future__ import annotations

from typing import Any

from psycopg import sql

AUDIT_TABLE = "core_auditevent"


def grant_statements(app_role: str, *, server_version: int) -> list[sql.Composed]:
    """What the owner grants the application role on every table of the public schema."""
    role = sql.Identifier(app_role)
    # MAINTAIN (17+): ANALYZE after a bulk move (dossiers/bulk.py).
    maintain = sql.SQL(", MAINTAIN" if server_version >= 170000 else "")
    return [
        sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(role),
        sql.SQL(
            "GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE{} ON ALL TABLES IN SCHEMA public TO {}"
        ).format(maintain, role),
        sql.SQL("GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {}").format(role),
        # The audit trail: rows are added, never changed, deleted or truncated.
        sql.SQL("REVOKE UPDATE, DELETE, TRUNCATE{} ON {} FROM {}").format(
            maintain, sql.Identifier(AUDIT_TABLE), role
        ),
    ]


def grant_app_role(cursor: Any, app_role: str) -> None:
    """Run the grants through ``cursor`` (the owner's connection); idempotent."""
    cursor.execute("SHOW server_version_num")
    (version,) = cursor.fetchone()
    statements = grant_statements(app_role, server_version=int(version))
    cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [AUDIT_TABLE])
    if not cursor.fetchone()[0]:
        statements = statements[:-1]  # a database not migrated yet
    for statement in statements:
        cursor.execute(statement)


def create_app_role(cursor: Any, app_role: str) -> None:
    """The application's login role (embedded server: no password, Unix socket only)."""
    cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [app_role])
    if cursor.fetchone() is None:
        cursor.execute(
            sql.SQL("CREATE ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE").format(
                sql.Identifier(app_role)
            )
        )


def after_migrate(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """post_migrate: grant the application role (HAICAP_DATABASE_APP_ROLE) the new tables."""
    from django.conf import settings
    from django.db import connections

    if sender.name != "haicap.core" or not settings.DATABASE_APP_ROLE:
        return
    with connections[using].cursor() as cursor:
        grant_app_role(cursor, settings.DATABASE_APP_ROLE)
