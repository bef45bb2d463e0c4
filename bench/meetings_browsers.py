"""Part 2 of bench/meetings.py: fake-media Chromium points on one Janus with haicap's board.

A real Janus (Debian's, stats_period 5 s) posts its events to haicap's receiver on a threaded
server over the bench database; a Hải Phòng meeting's room is opened through the actions;
points join through haicap's join page (the host first, every other point watching it), one
more per step. Each step checks the board: every joined point connected, with video, last
seen within two statistics periods. It stops when the board is not current, a point cannot
connect, Janus and the browsers fill both cores, or at --max-points.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import psutil
from django.conf import settings
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
from django.core.wsgi import get_wsgi_application
from django.utils import timezone
from playwright.sync_api import Browser, Page, sync_playwright

from haicap.core.actors import SYSTEM
from haicap.meetings import actions
from haicap.meetings.media import media_engine
from haicap.meetings.models import ConnectionPoint, Invitation, Meeting, PointKind
from haicap.testing.browser import CHROMIUM_ARGS, chromium_path
from haicap.testing.janus import FAKE_MEDIA_ARGS, running_janus
from haicap.units.models import AdminUnit, Tier

POINTS_PER_BROWSER = 8  # one Chromium starts at most 16 fake microphones
STEP_SECONDS = 12
PERIOD = 5


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def serve() -> str:
    httpd = ThreadedWSGIServer(("127.0.0.1", 0), QuietHandler)
    httpd.set_app(StaticFilesHandler(get_wsgi_application()))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{httpd.server_address[1]}"


def meeting_for(count: int) -> Meeting:
    hai_phong = AdminUnit.objects.in_force_on(timezone.localdate()).get(
        code="31", tier=Tier.PROVINCE
    )
    hub = ConnectionPoint.objects.get(unit=hai_phong, kind=PointKind.PROVINCIAL_HUB, is_active=True)
    others = ConnectionPoint.objects.filter(
        province=hai_phong, kind=PointKind.COMMUNE, is_active=True
    ).order_by("unit__code")
    Meeting.objects.filter(title__startswith="[bench-browsers]").delete()
    start = timezone.now() + dt.timedelta(days=500)
    meeting, _ = actions.do_create_meeting(
        actions.MeetingSpec(
            kind="rehearsal",
            title="[bench-browsers] Tổng duyệt",
            host=hub.pk,
            starts_at=start,
            ends_at=start + dt.timedelta(hours=2),
            invite="list",
            points=[p.pk for p in others[: count - 1]],
        ),
        actor=SYSTEM,
    )
    return actions.do_open_meeting(meeting, actor=SYSTEM)


def chromium_cpu() -> float:
    total = 0.0
    for process in psutil.Process().children(recursive=True):
        try:
            if "chrom" in process.name():
                times = process.cpu_times()
                total += times.user + times.system
        except psutil.Error:
            pass
    return total


def board_state(meeting: Meeting, joined: list[int]) -> dict[str, Any]:
    now = timezone.now()
    rows = list(Invitation.objects.filter(pk__in=joined))
    seen = [(now - r.last_seen).total_seconds() for r in rows if r.last_seen]
    return {
        "connected": sum(r.connected for r in rows),
        "with_video": sum(r.video for r in rows),
        "with_audio": sum(r.audio for r in rows),
        "oldest_last_seen_s": round(max(seen), 1) if seen else None,
    }


def browsers_part(max_points: int) -> dict[str, Any]:
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with (
        tempfile.TemporaryDirectory(prefix="haicap-janus-") as folder,
        running_janus(Path(folder), stats_period=PERIOD) as server,
    ):
        settings.JANUS_URL = server.url
        settings.JANUS_PUBLIC_URL = server.url
        settings.JANUS_API_SECRET = server.api_secret
        settings.JANUS_ADMIN_KEY = server.admin_key
        settings.JANUS_EVENT_SECRET = server.event_secret
        media_engine.cache_clear()
        base = serve()
        server.send_events_to(f"{base}/-/janus/events")
        meeting = meeting_for(max_points)
        host_id = meeting.host_id
        invitations = sorted(meeting.invitations.all(), key=lambda i: i.point_id != host_id)
        janus = psutil.Process(server.process.pid)
        steps: list[dict[str, Any]] = []
        stop = f"reached --max-points {max_points}"
        browsers: list[Browser] = []
        pages: list[Page] = []
        joined: list[int] = []
        with sync_playwright() as playwright:
            for number, invitation in enumerate(invitations, start=1):
                if (number - 1) % POINTS_PER_BROWSER == 0:
                    browsers.append(
                        playwright.chromium.launch(
                            executable_path=chromium_path(), args=CHROMIUM_ARGS + FAKE_MEDIA_ARGS
                        )
                    )
                page = browsers[-1].new_context().new_page()
                page.goto(f"{base}/staff/meetings/{meeting.pk}/join/?token={invitation.token}")
                try:
                    page.wait_for_function("window.haicapJoin.connected", timeout=45_000)
                except Exception:
                    stop = f"point {number} did not connect within 45 s"
                    break
                pages.append(page)
                joined.append(invitation.pk)
                janus_before, chromium_before = janus.cpu_times(), chromium_cpu()
                psutil.cpu_percent(None)
                start = time.time()
                time.sleep(STEP_SECONDS)
                elapsed = time.time() - start
                janus_after, chromium_after = janus.cpu_times(), chromium_cpu()
                board = board_state(meeting, joined)
                step = {
                    "points": number,
                    **board,
                    "machine_cpu_percent": psutil.cpu_percent(None),
                    "janus_cpu_percent": round(
                        100
                        * (
                            janus_after.user
                            + janus_after.system
                            - janus_before.user
                            - janus_before.system
                        )
                        / elapsed,
                        1,
                    ),
                    "chromium_cpu_percent": round(
                        100 * (chromium_after - chromium_before) / elapsed, 1
                    ),
                    "load_average_1m": round(os.getloadavg()[0], 2),
                }
                steps.append(step)
                print(json.dumps(step, ensure_ascii=False), flush=True)
                current = (
                    board["connected"] == number
                    and board["with_video"] == number
                    and board["oldest_last_seen_s"] is not None
                    and board["oldest_last_seen_s"] <= 2 * PERIOD
                )
                step["board_current"] = current
                if not current:
                    stop = "board not current: a point without video, or unseen for 2 periods"
                    break
                # The machine is shared: its own CPU figure includes other work, so the stop is
                # when Janus and our browsers alone fill the two cores.
                if step["janus_cpu_percent"] + step["chromium_cpu_percent"] >= 190:
                    stop = "Janus and the browsers fill both cores"
                    break
            for page in pages:
                page.evaluate("window.haicapLeave()")
            time.sleep(2)
            for browser in browsers:
                browser.close()
        actions.do_close_meeting(Meeting.objects.get(pk=meeting.pk), actor=SYSTEM)
        media_engine.cache_clear()
    held = [s["points"] for s in steps if s.get("board_current")]
    return {"steps": steps, "held_with_board_current": max(held, default=0), "stopped": stop}
