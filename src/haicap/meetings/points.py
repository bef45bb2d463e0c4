"""Connection points for every unit in force: one per commune and one hub per province, made
in one statement by `haicap setup` (idempotent: points already there are left as edited)."""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction

from haicap.core import audit
from haicap.core.actors import SYSTEM

# A commune's point is in its People's Committee's hall; a province's hub in the committee's
# conference room. Provinces edit the names and rooms afterwards.
CREATE = """
INSERT INTO meetings_connectionpoint
    (unit_id, province_id, kind, name, room_name, has_camera, has_microphone, has_screen,
     has_speakers, contact_name, contact_phone, contact_email, is_active, version, created_at)
SELECT u.id, coalesce(u.province_id, u.id),
       CASE WHEN u.tier = 'province' THEN 'provincial_hub' ELSE 'commune' END,
       CASE WHEN u.tier = 'province' THEN 'Điểm cầu trung tâm ' || u.name
            ELSE 'Điểm cầu ' || u.name END,
       CASE WHEN u.tier = 'province' THEN 'Phòng họp trực tuyến UBND ' || u.name
            ELSE 'Hội trường UBND ' || u.name END,
       false, false, false, false, '', '', '', true, 1, now()
FROM units_adminunit u
WHERE u.tier IN ('province', 'commune')
  AND (u.valid_from IS NULL OR u.valid_from <= %(day)s)
  AND (u.valid_to IS NULL OR u.valid_to >= %(day)s)
  AND NOT EXISTS (
      SELECT 1 FROM meetings_connectionpoint p
      WHERE p.unit_id = u.id AND p.is_active AND p.kind IN ('commune', 'provincial_hub')
  )
  AND NOT EXISTS (
      -- A unit whose point a reorganisation retired gets none back.
      SELECT 1 FROM meetings_connectionpoint p WHERE p.unit_id = u.id AND NOT p.is_active
  )
"""


def create_points(day: dt.date | None = None) -> int:
    """The missing points of units in force on ``day``; how many were made."""
    from django.utils import timezone

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(CREATE, {"day": day or timezone.localdate()})
        created = int(cursor.rowcount)
        if created:
            audit.record(
                "meetings.points_created",
                actor=SYSTEM,
                subject_type="connection_point",
                after={"created": created},
            )
    return created
