"""Online conferences' media figures (issue 15, first part), on this machine:

1. how many fake-media Chromium participants one Janus holds publishing audio and video:
   participants join one room through haicap's join test page, one more every step, until
   Janus's event callbacks lag more than 2 s, Janus stops receiving video from every point
   (or one point's falls below 30 % of the first's), Janus and the browsers fill both cores,
   or --max-points; per step: Janus's and Chromium's CPU, the whole machine's (other work
   included), the callbacks' lag, the video bitrate Janus receives from each point;
2. how many callbacks per second haicap's receiver view takes, in-process (Django's test
   client, every middleware), fed the bodies Janus really posted in part 1, beside the bare
   JSON view (the ratio).

    .venv/bin/python bench/meetings_media.py [--max-points 32] [--step-seconds 12]

Both figures depend on this machine's two cores being shared with Chromium: each fake
participant also encodes 640×480 video, so the browsers, not Janus, fill the CPU first.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import secrets
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haicap.settings")
# Neither part touches the database; settings only need a URL to parse.
os.environ.setdefault("DATABASE_URL", "postgresql://bench@localhost/unused")
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
os.environ["HAICAP_STATIC_MANIFEST"] = "0"  # the join page's files straight from the finders

import django  # noqa: E402

django.setup()

import psutil  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.staticfiles.handlers import StaticFilesHandler  # noqa: E402
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.test import Client  # noqa: E402
from playwright.sync_api import Browser, Page, sync_playwright  # noqa: E402

from bench.common import save  # noqa: E402
from haicap.meetings.events import EVENT_USER  # noqa: E402
from haicap.testing.browser import CHROMIUM_ARGS, chromium_path  # noqa: E402
from haicap.testing.janus import FAKE_MEDIA_ARGS, JanusServer, running_janus  # noqa: E402

ROOM, SECRET = 4_200, "bench-room-secret"
# One Chromium starts at most 16 fake microphones ("Could not start audio source" for the
# 17th): a new browser every 8 points keeps that limit out of the figure.
POINTS_PER_BROWSER = 8
STATS_PERIOD = 5


class Sink:
    """Records every body Janus posts with the time it arrived; the lag of each event."""

    def __init__(self) -> None:
        self.bodies: list[bytes] = []
        self.lags: list[tuple[float, float]] = []  # (arrival, arrival - Janus's timestamp)
        self.lock = threading.Lock()
        sink = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers["Content-Length"]))
                now = time.time()
                events = json.loads(raw)
                with sink.lock:
                    sink.bodies.append(raw)
                    for event in events if isinstance(events, list) else [events]:
                        sink.lags.append((now, now - event["timestamp"] / 1e6))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"

    def lags_since(self, start: float) -> list[float]:
        with self.lock:
            return [lag for arrival, lag in self.lags if arrival >= start]

    def video_bitrates_since(self, start: float) -> dict[int, list[int]]:
        """Janus's received video bitrate per handle, from the statistics events."""
        found: dict[int, list[int]] = {}
        with self.lock:
            bodies = list(self.bodies)
        for raw in bodies:
            for event in json.loads(raw) if raw.startswith(b"[") else [json.loads(raw)]:
                body = event.get("event", {})
                if (
                    event["type"] == 32
                    and event.get("subtype") == 3
                    and event["timestamp"] / 1e6 >= start
                    and body.get("media") == "video"
                ):
                    found.setdefault(event["handle_id"], []).append(
                        body["bytes-received-lastsec"] * 8
                    )
        return found


def serve_join_page(server: JanusServer) -> str:
    settings.JANUS_JOIN_TEST_PAGE = True
    settings.JANUS_PUBLIC_URL = server.url
    settings.JANUS_API_SECRET = server.api_secret
    httpd = ThreadedWSGIServer(("127.0.0.1", 0), QuietHandler)
    httpd.set_app(StaticFilesHandler(get_wsgi_application()))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{httpd.server_address[1]}/-/janus/join-test"


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def chromium_cpu() -> float:
    """CPU seconds of our own Chromium processes (Playwright's driver starts them for us)."""
    total = 0.0
    for process in psutil.Process().children(recursive=True):
        try:
            if "chrom" in process.name():
                times = process.cpu_times()
                total += times.user + times.system
        except psutil.Error:
            pass  # a renderer that ended in between
    return total


def participants(
    server: JanusServer,
    sink: Sink,
    launch: Callable[[], Browser],
    page_url: str,
    args: argparse.Namespace,
) -> dict[str, Any]:
    tokens = [secrets.token_urlsafe(24) for _ in range(args.max_points)]
    with server.engine() as engine:
        engine.create_room(
            ROOM,
            secret=SECRET,
            description="Bench",
            max_publishers=args.max_points,
            tokens=tokens,
        )
    janus = psutil.Process(server.process.pid)
    pages: list[Page] = []
    browsers: list[Browser] = []
    steps = []
    stop_reason = f"reached --max-points {args.max_points}"
    for number, token in enumerate(tokens, start=1):
        if (number - 1) % POINTS_PER_BROWSER == 0:
            browsers.append(launch())
        page = browsers[-1].new_context().new_page()
        query = urlencode({"room": ROOM, "token": token, "display": f"Điểm {number}"})
        page.goto(f"{page_url}?{query}")
        try:
            page.wait_for_function("window.haicapJoin.connected", timeout=45_000)
        except Exception:  # the point that could not connect is the finding
            seen = page.evaluate("[window.haicapJoin.status, window.haicapJoin.error]")
            stop_reason = f"participant {number} did not connect within 45 s (page: {seen})"
            break
        pages.append(page)
        time.sleep(2)  # let the new point settle before measuring
        start = time.time()
        janus_before, chromium_before = janus.cpu_times(), chromium_cpu()
        psutil.cpu_percent(None)
        time.sleep(args.step_seconds)
        janus_after, chromium_after = janus.cpu_times(), chromium_cpu()
        elapsed = time.time() - start
        lags = sorted(sink.lags_since(start))
        video = sink.video_bitrates_since(start)
        medians = [statistics.median(values) for values in video.values()]
        step = {
            "points": number,
            "machine_cpu_percent": psutil.cpu_percent(None),
            "janus_cpu_percent": round(
                100
                * (janus_after.user + janus_after.system - janus_before.user - janus_before.system)
                / elapsed,
                1,
            ),
            "chromium_cpu_percent": round(100 * (chromium_after - chromium_before) / elapsed, 1),
            "callbacks": len(lags),
            "lag_p50_ms": round(1000 * lags[len(lags) // 2], 1) if lags else None,
            "lag_max_ms": round(1000 * lags[-1], 1) if lags else None,
            "points_with_video_at_janus": sum(1 for m in medians if m > 0),
            "video_kbps_median_min": round(min(medians) / 1000) if medians else 0,
            "video_kbps_median_max": round(max(medians) / 1000) if medians else 0,
            "load_average_1m": round(os.getloadavg()[0], 2),
        }
        steps.append(step)
        print(json.dumps(step, ensure_ascii=False), flush=True)
        if step["lag_max_ms"] is not None and step["lag_max_ms"] > 2000:
            stop_reason = "callbacks lagged more than 2 s"
            break
        if step["points_with_video_at_janus"] < number:
            stop_reason = "Janus stopped receiving video from every point"
            break
        if step["video_kbps_median_min"] < 0.3 * steps[0]["video_kbps_median_min"]:
            stop_reason = "a point's video fell below 30 % of the first point's"
            break
        if step["janus_cpu_percent"] + step["chromium_cpu_percent"] >= 190:
            stop_reason = "Janus and the browsers use both cores"
            break
    held = [s["points"] for s in steps if s["points_with_video_at_janus"] == s["points"]]
    for page in pages:
        page.evaluate("window.haicapLeave()")
    time.sleep(1)
    with server.engine() as engine:
        engine.destroy_room(ROOM, secret=SECRET)
    for browser in browsers:
        browser.close()
    return {"steps": steps, "held_publishing": max(held, default=0), "stopped": stop_reason}


def callback_rate(bodies: list[bytes], rounds: int = 3, count: int = 3000) -> dict[str, Any]:
    """Posts per second through the receiver view, beside GETs of the bare view."""
    settings.JANUS_EVENT_SECRET = secret = secrets.token_urlsafe(18)
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    auth = "Basic " + base64.b64encode(f"{EVENT_USER}:{secret}".encode()).decode()
    client = Client()
    singles = [raw for raw in bodies if raw.lstrip().startswith(b"{")]
    # What Janus posts with grouping on: up to 100 events in one array.
    grouped = json.dumps([json.loads(singles[i % len(singles)]) for i in range(100)]).encode()

    def receiver() -> float:
        started = time.perf_counter()
        for index in range(count):
            answer = client.post(
                "/-/janus/events",
                singles[index % len(singles)],
                content_type="application/json",
                headers={"Authorization": auth},
            )
            assert answer.status_code == 200, answer.content
        return count / (time.perf_counter() - started)

    def receiver_grouped() -> float:
        started = time.perf_counter()
        for _ in range(count // 30):
            answer = client.post(
                "/-/janus/events",
                grouped,
                content_type="application/json",
                headers={"Authorization": auth},
            )
            assert answer.status_code == 200, answer.content
        return (count // 30) / (time.perf_counter() - started)

    def bare() -> float:
        started = time.perf_counter()
        for _ in range(count):
            assert client.get("/-/bare").status_code == 200
        return count / (time.perf_counter() - started)

    runs: dict[str, list[float]] = {"bare_view": [], "receiver": [], "receiver_grouped_100": []}
    for _ in range(rounds):  # interleaved: this machine's speed drifts
        runs["bare_view"].append(bare())
        runs["receiver"].append(receiver())
        runs["receiver_grouped_100"].append(receiver_grouped())
    medians = {name: statistics.median(values) for name, values in runs.items()}
    return {
        "bodies_replayed": len(singles),
        "bare_view_per_s": round(medians["bare_view"]),
        "receiver_callbacks_per_s": round(medians["receiver"]),
        "ratio_receiver_to_bare": round(medians["receiver"] / medians["bare_view"], 3),
        "receiver_grouped_bodies_per_s": round(medians["receiver_grouped_100"]),
        "receiver_grouped_events_per_s": round(medians["receiver_grouped_100"] * 100),
        "rounds": {name: [round(v) for v in values] for name, values in runs.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-points", type=int, default=32)
    parser.add_argument("--step-seconds", type=int, default=12)
    args = parser.parse_args()
    sink = Sink()
    with (
        tempfile.TemporaryDirectory() as directory,
        running_janus(Path(directory), stats_period=STATS_PERIOD) as server,
        sync_playwright() as playwright,
    ):
        server.send_events_to(sink.url)
        page_url = serve_join_page(server)
        held = participants(
            server,
            sink,
            lambda: playwright.chromium.launch(
                executable_path=chromium_path(), args=CHROMIUM_ARGS + FAKE_MEDIA_ARGS
            ),
            page_url,
            args,
        )
    rate = callback_rate(sink.bodies)
    save(
        "meetings_media",
        {
            "janus": "Debian janus 1.1.2, VideoRoom, sample event handler (grouping off)",
            "stats_period_s": STATS_PERIOD,
            "participants": held,
            "callbacks": rate,
        },
    )


if __name__ == "__main__":
    main()
