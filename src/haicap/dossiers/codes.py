"""Dossier codes `{agency code}-{yymmdd}-{NNNN}` and lookup secrets."""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import connection

from haicap.core.calendar import ZONE
from haicap.units.models import ServiceCenter

# No 0/O or 1/I/L: secrets are read aloud and typed from paper.
_SECRET_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # noqa: S105 - an alphabet


def next_code(centre: ServiceCenter, at: dt.datetime) -> str:
    """The next code for ``centre`` on the local day of ``at``; unique under concurrency.

    The upsert takes a row lock on the centre's counter for the day, so concurrent intakes
    queue for a moment instead of reading the same number.
    """
    day = at.astimezone(ZONE).date()
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO dossiers_dossiersequence (centre_id, day, last) VALUES (%s, %s, 1)
            ON CONFLICT (centre_id, day)
            DO UPDATE SET last = dossiers_dossiersequence.last + 1
            RETURNING last
            """,
            [centre.pk, day],
        )
        (number,) = cursor.fetchone()
    return f"{centre.code}-{day:%y%m%d}-{number:04d}"


def new_secret() -> str:
    return "".join(secrets.choice(_SECRET_ALPHABET) for _ in range(8))
