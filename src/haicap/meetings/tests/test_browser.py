"""The media path for real: Chromium with a fake camera and microphone joins a Janus room as
three connection points through haicap's join page (janus.js from haicap's static files),
publishes audio and video, measures the link with getStats(), and leaves; haicap's receiver
sees every join, the media flowing, the bitrate Janus measures, and every leave."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
from playwright.sync_api import Browser, Page, expect

from haicap.meetings.media import EventKind, MediaEvent
from haicap.testing.browser import accessibility_violations, screenshot
from haicap.testing.janus import EventLog, JanusServer, janus_events, janus_server, media_browser

__all__ = ["janus_events", "janus_server", "media_browser"]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SECRET = "room-secret-for-browsers"
POINTS = ["Điểm cầu Thành ủy Hải Phòng", "Điểm cầu Hải Dương", "Điểm cầu xã Cát Hải"]


@pytest.fixture
def join_page(settings: Any, live_server: Any) -> str:
    settings.JANUS_JOIN_TEST_PAGE = True
    return f"{live_server.url}/-/janus/join-test"


@pytest.fixture
def room(janus_server: JanusServer, settings: Any) -> Iterator[tuple[int, list[str]]]:
    settings.JANUS_PUBLIC_URL = janus_server.url
    settings.JANUS_API_SECRET = janus_server.api_secret
    number, tokens = (
        900_000 + secrets.randbelow(100_000),
        [secrets.token_urlsafe(24) for _ in POINTS],
    )
    with janus_server.engine() as engine:
        engine.create_room(
            number, secret=SECRET, description="Hội nghị thử", max_publishers=6, tokens=tokens
        )
        yield number, tokens
        engine.destroy_room(number, secret=SECRET)


def open_point(browser: Browser, url: str, room: int, token: str, display: str) -> Page:
    context = browser.new_context(locale="vi-VN", viewport={"width": 800, "height": 900})
    page = context.new_page()
    page.goto(f"{url}?{urlencode({'room': room, 'token': token, 'display': display})}")
    return page


def about(
    kind: EventKind, *, on: str | None = None, participant: str | None = None, **stats: Any
) -> Callable[[MediaEvent], bool]:
    """Events of ``kind`` on this connection or of this participant, with these stats."""

    def matches(event: MediaEvent) -> bool:
        return (
            event.kind == kind
            and (on is None or event.connection == on)
            and (participant is None or event.participant == participant)
            and all(event.stats.get(name) == value for name, value in stats.items())
        )

    return matches


def sending_video(connection: str | None) -> Callable[[MediaEvent], bool]:
    def matches(event: MediaEvent) -> bool:
        return (
            about(EventKind.BITRATE, on=connection, media="video")(event)
            and int(event.stats.get("bitrate_received", 0)) > 0
        )

    return matches


def test_three_points_publish_and_leave(
    media_browser: Browser,
    janus_server: JanusServer,
    janus_events: EventLog,
    join_page: str,
    room: tuple[int, list[str]],
) -> None:
    number, tokens = room
    pages = [
        open_point(media_browser, join_page, number, token, name)
        for token, name in zip(tokens, POINTS, strict=True)
    ]
    for page in pages:
        expect(page.locator("#join-status")).to_have_attribute("data-state", "connected")

    joins = janus_events.wait_for(lambda e: e.kind == EventKind.JOIN and e.room == number, count=3)
    assert sorted((e.display, e.token) for e in joins) == sorted(zip(POINTS, tokens, strict=True))
    with janus_server.engine() as engine:
        inside = engine.participants(number)
    assert sorted(p.display or "" for p in inside) == sorted(POINTS)
    assert all(p.publishing for p in inside)

    for join in joins:
        # Janus names the handle only; the join with the same handle says whose media it is.
        janus_events.wait_for(about(EventKind.MEDIA, on=join.connection, connection="webrtcup"))
        for media in ("audio", "video"):
            janus_events.wait_for(
                about(EventKind.MEDIA, on=join.connection, media=media, receiving=True)
            )
        [published] = janus_events.wait_for(
            about(EventKind.MEDIA, participant=join.participant, publishing=True)
        )
        assert (published.stats["audio"], published.stats["video"]) == (True, True)
        # Janus's own statistics of what it receives from this point, every stats_period.
        [video] = janus_events.wait_for(sending_video(join.connection), seconds=20)
        assert int(video.stats["packets_received"]) > 0

    for page in pages:
        page.wait_for_function("() => window.haicapJoin.samples >= 3")
        stats = page.evaluate("window.haicapJoin.stats")
        assert stats["rtt_ms"] is not None, stats
        assert 0 <= stats["rtt_ms"] < 1000, stats
        assert stats["bitrate_kbps"] > 10, stats  # the fake camera's video, in kbit/s
        assert 0 <= stats["loss_percent"] < 5, stats
        expect(page.locator("#stat-bitrate")).to_contain_text("kbit/s")
    screenshot(pages[0], "meetings-join-test")
    assert accessibility_violations(pages[0]) == []

    for page in pages:
        page.get_by_role("button", name="Rời phòng").click()
        expect(page.locator("#join-status")).to_have_attribute("data-state", "left")
    for join in joins:
        janus_events.wait_for(about(EventKind.LEAVE, participant=join.participant))
    with janus_server.engine() as engine:
        assert engine.participants(number) == []


def test_a_token_the_room_does_not_hold_is_refused_on_the_page(
    media_browser: Browser, join_page: str, room: tuple[int, list[str]]
) -> None:
    number, _ = room
    page = open_point(media_browser, join_page, number, secrets.token_urlsafe(24), "Điểm lạ")
    status = page.locator("#join-status")
    expect(status).to_have_attribute("data-state", "refused")
    expect(status).to_contain_text("từ chối")


def test_a_point_joins_over_the_websocket_transport(
    media_browser: Browser,
    janus_server: JanusServer,
    janus_events: EventLog,
    join_page: str,
    room: tuple[int, list[str]],
    settings: Any,
) -> None:
    """What a deployment gives browsers: Janus's WebSocket transport (wss:// behind a proxy)."""
    settings.JANUS_PUBLIC_URL = janus_server.ws_url
    number, tokens = room
    page = open_point(media_browser, join_page, number, tokens[0], POINTS[0])
    expect(page.locator("#join-status")).to_have_attribute("data-state", "connected")
    [join] = janus_events.wait_for(lambda e: e.kind == EventKind.JOIN and e.room == number)
    janus_events.wait_for(sending_video(join.connection), seconds=20)
    page.get_by_role("button", name="Rời phòng").click()
    janus_events.wait_for(about(EventKind.LEAVE, participant=join.participant))
