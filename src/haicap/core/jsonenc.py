"""JSON for the API and cached answers: ninja's (Django's) encoder, with offsets in whole minutes.

Asia/Ho_Chi_Minh before 1912 was local mean time (+07:06:30 in the tz database), which no
RFC 3339 reader accepts; such datetimes are written at +07:00, the same instant shifted to the
zone's standard offset. Every later datetime is written as Django writes it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja.responses import NinjaJSONEncoder

STANDARD = dt.timezone(dt.timedelta(hours=7))


def whole_minutes(value: dt.datetime) -> dt.datetime:
    offset = value.utcoffset()
    if offset is not None and offset.seconds % 60:
        return value.astimezone(STANDARD)
    return value


class JSONEncoder(NinjaJSONEncoder):
    def default(self, o: Any) -> Any:
        if isinstance(o, dt.datetime):
            o = whole_minutes(o)
        return super().default(o)
