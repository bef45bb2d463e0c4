"""The whole media path in Chromium with a fake camera and microphone: three connection points
join a meeting through their join pages, the organiser's board shows three connected with
audio and video, the points leave and the board records when; a point's connection test
measures its link and stores the result; axe checks the pages on a phone."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Browser, Page, ViewportSize, expect

from haicap.conftest import PASSWORD
from haicap.meetings import actions
from haicap.meetings.models import Attendance, ConnectionPoint, Invitation, Meeting
from haicap.meetings.tests.conftest import point_of
from haicap.testing.browser import accessibility_violations, screenshot
from haicap.testing.janus import EventLog, JanusServer, janus_events, janus_server, media_browser

__all__ = ["janus_events", "janus_server", "media_browser"]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE: ViewportSize = {"width": 390, "height": 844}


def signed_in(browser: Browser, live_server: Any, username: str) -> Page:
    page = browser.new_context(locale="vi-VN", viewport=PHONE).new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    return page


def join(
    browser: Browser, live_server: Any, meeting: Meeting, invitation: Invitation, mode: str = ""
) -> Page:
    page = browser.new_context(locale="vi-VN", viewport={"width": 800, "height": 900}).new_page()
    extra = f"&mode={mode}" if mode else ""
    page.goto(
        f"{live_server.url}/staff/meetings/{meeting.pk}/join/?token={invitation.token}{extra}"
    )
    return page


def no_violations(page: Page) -> None:
    found = accessibility_violations(page)
    assert found == [], [v["id"] for v in found]


def test_three_points_join_the_board_shows_them_and_leaving_is_recorded(
    media_browser: Browser,
    engine_settings: JanusServer,
    janus_events: EventLog,
    live_server: Any,
    make_meeting: Callable[..., Meeting],
    dave: User,
    hub: ConnectionPoint,
    ba_dinh: ConnectionPoint,
) -> None:
    third = point_of("00070")  # Phường Hoàn Kiếm
    meeting = actions.do_open_meeting(make_meeting(points=[ba_dinh, third]), actor=dave)
    invitations = list(meeting.invitations.select_related("point"))
    assert len(invitations) == 3
    # The host first, so the others see it.
    invitations.sort(key=lambda i: i.point_id != hub.pk)
    pages = []
    for invitation in invitations:
        page = join(media_browser, live_server, meeting, invitation)
        expect(page.locator("#join-status")).to_have_attribute(
            "data-state", "connected", timeout=20_000
        )
        pages.append(page)
    # A commune point watches the host point.
    pages[1].wait_for_function("window.haicapJoin.watching !== null", timeout=20_000)

    board = signed_in(media_browser, live_server, "dave")
    board.goto(f"{live_server.url}/staff/meetings/{meeting.pk}/board/")
    expect(board.locator("#board-summary strong")).to_have_attribute(
        "data-connected", "3", timeout=20_000
    )
    for invitation in invitations:
        row = board.locator(f"tr[data-point='{invitation.point_id}']")
        expect(row).to_have_attribute("data-state", "connected")
    # Janus's statistics (every 2 s here) reach the board: audio and video flowing.
    deadline = time.monotonic() + 25
    while time.monotonic() < deadline:
        fresh = list(Invitation.objects.filter(meeting=meeting))
        if all(i.audio and i.video and (i.bitrate_kbps or 0) > 0 for i in fresh):
            break
        time.sleep(0.5)
    assert all(i.audio and i.video and (i.bitrate_kbps or 0) > 0 for i in fresh), [
        (i.audio, i.video, i.bitrate_kbps) for i in fresh
    ]
    board.reload()
    expect(board.locator("#board-summary")).to_contain_text("3 có âm thanh")
    screenshot(board, "meetings-board")
    no_violations(board)
    screenshot(pages[1], "meetings-join")
    no_violations(pages[1])

    for page in pages:
        page.get_by_role("button", name="Rời phòng").click()
        expect(page.locator("#join-status")).to_have_attribute("data-state", "left")
    deadline = time.monotonic() + 20
    while Attendance.objects.filter(invitation__meeting=meeting, left_at__isnull=True).exists():
        assert time.monotonic() < deadline, "leaves not recorded"
        time.sleep(0.3)
    stays = list(Attendance.objects.filter(invitation__meeting=meeting))
    assert len(stays) == 3
    assert all(s.left_at and s.left_at > s.joined_at for s in stays)
    expect(board.locator("#board-summary strong")).to_have_attribute(
        "data-connected", "0", timeout=10_000
    )
    actions.do_close_meeting(meeting, actor=dave)


def test_a_connection_test_measures_and_stores_the_result(
    media_browser: Browser,
    engine_settings: JanusServer,
    janus_events: EventLog,
    live_server: Any,
    make_meeting: Callable[..., Meeting],
    dave: User,
    ba_dinh: ConnectionPoint,
) -> None:
    meeting = actions.do_open_test(make_meeting(points=[ba_dinh]), actor=dave)
    invitation = Invitation.objects.get(meeting=meeting, point=ba_dinh)
    page = join(media_browser, live_server, meeting, invitation, mode="test")
    expect(page.locator("#join-result")).to_have_attribute(
        "data-readiness", "ready", timeout=40_000
    )
    invitation.refresh_from_db()
    assert invitation.readiness == "ready"
    assert invitation.test_camera
    assert invitation.test_microphone
    assert invitation.test_rtt_ms is not None
    assert 0 <= invitation.test_rtt_ms < 400
    assert (invitation.test_bitrate_kbps or 0) > 150
    no_violations(page)
    screenshot(page, "meetings-connection-test")
    page.get_by_role("button", name="Rời phòng").click()
    actions.do_close_test(meeting, actor=dave)
    board = signed_in(media_browser, live_server, "dave")
    board.goto(f"{live_server.url}/staff/meetings/{meeting.pk}/board/")
    expect(board.locator(f"tr[data-point='{ba_dinh.pk}'] .ready-ready")).to_be_visible()


def test_staff_pages_pass_axe_on_a_phone(
    media_browser: Browser,
    live_server: Any,
    make_meeting: Callable[..., Meeting],
    dave: User,
    ba_dinh: ConnectionPoint,
) -> None:
    meeting = make_meeting(points=[ba_dinh])
    page = signed_in(media_browser, live_server, "dave")
    for path, name in (
        ("/staff/meetings/", "meetings-schedule"),
        ("/staff/meetings/new/", "meetings-new"),
        (f"/staff/meetings/{meeting.pk}/", "meetings-meeting"),
        (f"/staff/meetings/{meeting.pk}/minutes/", "meetings-minutes"),
        ("/staff/meetings/points/", "meetings-points"),
        (f"/staff/meetings/points/{ba_dinh.pk}/", "meetings-point"),
        ("/staff/meetings/conclusions/", "meetings-conclusions"),
    ):
        page.goto(f"{live_server.url}{path}")
        screenshot(page, name)
        no_violations(page)
