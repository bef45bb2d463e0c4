"""Online conferences, the government side (issue 15): haicap's attendance and board under
the event stream of Hải Phòng's 116-point conference, and fake-media browsers on one Janus.

1. ``events``: 116 points (Hải Phòng's hub, a Hải Dương hub and the 114 communes) join the
   meeting's room, send audio and video statistics every 5 s for 10 simulated minutes and
   leave; every callback is the body Janus's sample event handler posts (grouping off, one
   event per POST, basic auth), sent in-process through Django's test client (every
   middleware) to ``/-/janus/events``, which writes attendance to PostgreSQL. Figures:
   callbacks handled per second, and per 5-second round of statistics the delay from the
   round's first event until the board (its rows, as the page reads them) shows every
   point's new "last seen"; beside them the bare JSON view (the reference, same client).
2. ``browsers``: fake-media Chromium participants join a real Janus room through haicap's
   join page, Janus posting its events to haicap's receiver on a threaded server on the same
   database; one more every step until the board lags more than 5 s behind Janus, a point
   stops showing video on the board, the two cores saturate, or --max-points.

    DATABASE_URL=… .venv/bin/python bench/meetings.py events [--minutes 10]
    DATABASE_URL=… .venv/bin/python bench/meetings.py browsers [--max-points 12]

The database must have been set up (`haicap setup`); the bench adds its own meeting.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haicap.settings")
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
os.environ["HAICAP_STATIC_MANIFEST"] = "0"
EVENT_SECRET = "bench-event-secret-123"  # noqa: S105 - the bench's own
os.environ["HAICAP_JANUS_EVENT_SECRET"] = EVENT_SECRET
os.environ.setdefault("HAICAP_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.common import machine, save  # noqa: E402
from haicap.core.actors import SYSTEM  # noqa: E402
from haicap.meetings import actions  # noqa: E402
from haicap.meetings.models import ConnectionPoint, Invitation, Meeting, PointKind  # noqa: E402
from haicap.meetings.serializers import board_rows  # noqa: E402
from haicap.units.models import AdminUnit, Tier  # noqa: E402

AUTH = "Basic " + base64.b64encode(f"janus:{EVENT_SECRET}".encode()).decode()
PERIOD = 5  # Janus's stats_period in production (docs/meetings.md)


def hai_phong_meeting(room: int) -> Meeting:
    """A fresh open meeting of Hải Phòng's hub with its 115 points and a Hải Dương hub (116)."""
    hai_phong = AdminUnit.objects.in_force_on(timezone.localdate()).get(
        code="31", tier=Tier.PROVINCE
    )
    hub = ConnectionPoint.objects.get(unit=hai_phong, kind=PointKind.PROVINCIAL_HUB, is_active=True)
    if not ConnectionPoint.objects.filter(
        unit=hai_phong, kind=PointKind.HUB, is_active=True
    ).exists():
        actions.do_add_hub(hai_phong, "Điểm cầu Hải Dương", actor=SYSTEM)
    Meeting.objects.filter(title__startswith="[bench]").delete()
    start = timezone.now() + dt.timedelta(days=400)
    meeting, _ = actions.do_create_meeting(
        actions.MeetingSpec(
            kind="conference",
            title="[bench] Hội nghị trực tuyến 116 điểm cầu",
            host=hub.pk,
            starts_at=start,
            ends_at=start + dt.timedelta(hours=3),
        ),
        actor=SYSTEM,
    )
    # The room as Janus would hold it (part 1 measures haicap, not Janus).
    Meeting.objects.filter(pk=meeting.pk).update(room=room, status="open")
    meeting.refresh_from_db()
    return meeting


def event(
    kind: int, at: float, handle: int, body: dict[str, Any], subtype: int | None = None
) -> dict[str, Any]:
    found = {
        "emitter": "haicap-bench",
        "type": kind,
        "timestamp": int(at * 1_000_000),
        "session_id": handle + 7,
        "handle_id": handle,
        "event": body,
    }
    if subtype is not None:
        found["subtype"] = subtype
    return found


def videoroom(name: str, room: int, participant: int, **data: Any) -> dict[str, Any]:
    return {
        "plugin": "janus.plugin.videoroom",
        "data": {"event": name, "room": room, "id": participant, **data},
    }


def stats(media: str, bytes_lastsec: int) -> dict[str, Any]:
    return {
        "mid": "0" if media == "audio" else "1",
        "media": media,
        "codec": "opus" if media == "audio" else "vp8",
        "rtt": 12,
        "lost": 0,
        "lost-by-remote": 0,
        "jitter-local": 1,
        "jitter-remote": 0,
        "in-link-quality": 100,
        "in-media-link-quality": 100,
        "packets-received": 5000,
        "bytes-received": 4_000_000,
        "bytes-received-lastsec": bytes_lastsec,
        "bytes-sent-lastsec": 0,
        "nacks-received": 0,
        "nacks-sent": 0,
    }


def post(client: Client, body: dict[str, Any]) -> None:
    answer = client.post(
        "/-/janus/events",
        json.dumps(body),
        content_type="application/json",
        headers={"Authorization": AUTH},
    )
    if answer.status_code != 200:
        raise SystemExit(f"the receiver answered {answer.status_code}: {answer.content[:200]!r}")


def board_current(meeting: Meeting, at: dt.datetime) -> bool:
    rows = list(board_rows(meeting))
    return all(row.connected and row.last_seen is not None and row.last_seen >= at for row in rows)


def events_part(minutes: int) -> dict[str, Any]:
    room = 7_000_000 + int(time.time()) % 1_000_000
    meeting = hai_phong_meeting(room)
    invitations = list(meeting.invitations.select_related("point").order_by("pk"))
    client = Client()
    base = time.time()
    handles = {inv.pk: 10_000 + n for n, inv in enumerate(invitations)}
    participants = {inv.pk: 50_000 + n for n, inv in enumerate(invitations)}
    posted = 0
    started = time.perf_counter()
    # Joins: what Janus posts as each point joins and starts publishing.
    for inv in invitations:
        h, p = handles[inv.pk], participants[inv.pk]
        for body in (
            event(
                64, base, h, videoroom("joined", room, p, display=inv.point.name, token=inv.token)
            ),
            event(16, base, h, {"connection": "webrtcup"}, 6),
            event(
                64,
                base,
                h,
                videoroom(
                    "published",
                    room,
                    p,
                    display=inv.point.name,
                    streams=[{"type": "audio"}, {"type": "video"}],
                ),
            ),
            event(32, base, h, {"media": "audio", "mid": "0", "receiving": True}, 1),
            event(32, base, h, {"media": "video", "mid": "1", "receiving": True}, 1),
        ):
            post(client, body)
            posted += 1
    join_seconds = time.perf_counter() - started
    delays = []
    rounds = minutes * 60 // PERIOD
    for n in range(1, rounds + 1):
        at = base + n * PERIOD
        round_start = time.perf_counter()
        for inv in invitations:
            h = handles[inv.pk]
            post(client, event(32, at, h, stats("audio", 4_000), 3))
            post(client, event(32, at, h, stats("video", 60_000 + n), 3))
            posted += 2
        moment = dt.datetime.fromtimestamp(at, tz=dt.UTC)
        while not board_current(meeting, moment):
            time.sleep(0.001)
        delays.append(time.perf_counter() - round_start)
    leave_at = base + (rounds + 1) * PERIOD
    for inv in invitations:
        post(
            client,
            event(64, leave_at, handles[inv.pk], videoroom("leaving", room, participants[inv.pk])),
        )
        posted += 1
    elapsed = time.perf_counter() - started
    left = Invitation.objects.filter(meeting=meeting, connected=True).count()
    stays = meeting.invitations.filter(attendances__left_at__isnull=False).count()
    # Reference: the bare JSON view through the same client, as many requests.
    reference_count = 3000
    ref_start = time.perf_counter()
    for _ in range(reference_count):
        client.get("/-/bare")
    bare_rate = reference_count / (time.perf_counter() - ref_start)
    render_start = time.perf_counter()
    list(board_rows(meeting))
    board_ms = (time.perf_counter() - render_start) * 1000
    rate = posted / elapsed
    return {
        "points": len(invitations),
        "simulated_minutes": minutes,
        "callbacks": posted,
        "wall_seconds": round(elapsed, 1),
        "joins_seconds": round(join_seconds, 2),
        "callbacks_per_second": round(rate),
        "bare_requests_per_second": round(bare_rate),
        "ratio_to_bare": round(rate / bare_rate, 2),
        "board_delay_ms_median": round(statistics.median(delays) * 1000),
        "board_delay_ms_p95": round(sorted(delays)[int(len(delays) * 0.95)] * 1000),
        "board_delay_ms_max": round(max(delays) * 1000),
        "board_rows_query_ms": round(board_ms, 1),
        "needed_per_second": round(len(invitations) * 2 / PERIOD, 1),
        "still_connected_after_leave": left,
        "points_with_a_recorded_leave": stays,
        "machine": machine(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("part", choices=["events", "browsers"])
    parser.add_argument("--minutes", type=int, default=10)
    parser.add_argument("--max-points", type=int, default=12)
    args = parser.parse_args()
    if args.part == "events":
        figures = events_part(args.minutes)
    else:
        from bench.meetings_browsers import browsers_part

        figures = browsers_part(args.max_points)
    print(json.dumps(figures, indent=2, ensure_ascii=False))
    save(f"meetings_{args.part}", figures)
    connection.close()


if __name__ == "__main__":
    main()
