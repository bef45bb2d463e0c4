"""The join test page and the browser libraries it loads from haicap's own static files."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from django.contrib.staticfiles import finders
from django.test import Client

from haicap.meetings.staticfiles import DebianJavascriptFinder

GOOD = {"room": "1", "token": "t" * 20, "display": "Điểm cầu Cát Hải"}


def test_the_page_loads_janus_js_from_haicap_not_a_cdn(client: Client, settings: Any) -> None:
    settings.JANUS_JOIN_TEST_PAGE = True
    settings.JANUS_PUBLIC_URL = "wss://janus.example.vn/ws"
    page = client.get("/-/janus/join-test", GOOD).content.decode()
    for script in ("webrtc-adapter/adapter.js", "janus-gateway/janus.js", "meetings/join_test.js"):
        assert f'<script src="/static/{script}"></script>' in page
    sources = re.findall(r'<script src="([^"]+)"', page)
    assert all(source.startswith("/static/") for source in sources), sources
    assert '"server": "wss://janus.example.vn/ws"' in page
    assert "Điểm cầu Cát Hải" in page


def test_the_page_checks_what_it_is_given(client: Client, settings: Any) -> None:
    settings.JANUS_JOIN_TEST_PAGE = True
    for bad in ({"room": "x"}, {"room": "0"}, {"token": "short"}, {"display": ""}):
        answer = client.get("/-/janus/join-test", {**GOOD, **bad})
        assert answer.status_code == 400, bad
        assert b'role="alert"' in answer.content
        assert b"janus.js" not in answer.content


def test_the_page_is_off_unless_asked_for(client: Client, settings: Any) -> None:
    settings.JANUS_JOIN_TEST_PAGE = False
    assert client.get("/-/janus/join-test", GOOD).status_code == 404


def test_the_finder_offers_debians_two_files_and_nothing_else() -> None:
    assert finders.find("janus-gateway/janus.js") == "/usr/share/javascript/janus-gateway/janus.js"
    assert finders.find("webrtc-adapter/adapter.js") == (
        "/usr/share/javascript/webrtc-adapter/adapter.js"
    )
    assert finders.find("janus-gateway/janus.min.js") is None
    assert finders.find("webrtc-adapter/../janus-gateway/janus.js") is None
    listed = [f"{storage.prefix}/{name}" for name, storage in DebianJavascriptFinder().list(None)]
    assert sorted(listed) == ["janus-gateway/janus.js", "webrtc-adapter/adapter.js"]


def test_a_missing_library_is_a_warning_naming_its_package(settings: Any, tmp_path: Path) -> None:
    settings.JAVASCRIPT_DIR = tmp_path
    warnings = DebianJavascriptFinder().check()
    assert [w.id for w in warnings] == ["meetings.W001", "meetings.W001"]
    assert "libjs-janus-gateway" in str(warnings[0].hint)
    assert list(DebianJavascriptFinder().list(None)) == []
