"""A real Janus for tests and benchmarks: Debian's `janus`, on loopback, with its own config.

The config (``write_config``) loads only what haicap uses: the HTTP transport (REST API and
admin API on 127.0.0.1, free ports), the WebSocket transport (browsers' other way in, also on
127.0.0.1), the VideoRoom plugin and the sample event handler, which
posts every event one by one, with basic auth, to the address a test gives it through the
admin API (``JanusServer.send_events_to``). docs/meetings.md explains each setting.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests
from django.urls import reverse
from playwright.sync_api import Browser, sync_playwright

from haicap.meetings.events import EVENT_USER
from haicap.meetings.janus import VIDEOROOM, JanusEngine, JanusSession
from haicap.meetings.media import MediaEvent, media_events
from haicap.testing.browser import CHROMIUM_ARGS, chromium_path

# Where Debian puts Janus's modules (/usr/lib/<multiarch>/janus); HAICAP_JANUS_LIB_DIR overrides.
LIB_GLOB = "/usr/lib/*/janus"
MODULES = {
    "plugins": ["libjanus_videoroom.so"],
    "transports": ["libjanus_http.so", "libjanus_websockets.so"],
    "events": ["libjanus_sampleevh.so"],
    "loggers": [],
}
# Until a test says where, events go to a closed port and are dropped at once.
NOWHERE = "http://127.0.0.1:9/"


def janus_binary() -> str | None:
    return os.environ.get("HAICAP_JANUS") or shutil.which("janus")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def ice_interfaces() -> str:
    """Every interface but loopback: Janus never gathers a loopback ICE candidate (with only
    ``lo`` enforced it finds nothing and falls back to every address), so media goes between
    this machine's own addresses, which the kernel delivers without leaving the machine."""
    return ",".join(name for _, name in socket.if_nameindex() if name != "lo")


def _modules(directory: Path) -> dict[str, Path]:
    """Folders holding only the modules haicap uses, so Janus loads nothing else."""
    lib = os.environ.get("HAICAP_JANUS_LIB_DIR")
    roots = [Path(lib)] if lib else sorted(Path("/").glob(LIB_GLOB.lstrip("/")))
    folders = {}
    for kind, names in MODULES.items():
        folder = directory / kind
        folder.mkdir(exist_ok=True)
        folders[kind] = folder
        for name in names:
            found = [path for root in roots for path in sorted((root / kind).glob(f"{name}*"))]
            if not found:
                raise RuntimeError(f"Janus's {name} is not installed (looked in {roots})")
            link = folder / name
            link.unlink(missing_ok=True)
            link.symlink_to(found[0])
    return folders


@dataclass
class JanusServer:
    url: str
    ws_url: str
    admin_url: str
    api_secret: str
    admin_secret: str
    admin_key: str
    event_secret: str
    directory: Path
    process: subprocess.Popen[bytes]

    def engine(self) -> JanusEngine:
        return JanusEngine(self.url, api_secret=self.api_secret, admin_key=self.admin_key)

    def session(self) -> JanusSession:
        return JanusSession(self.url, api_secret=self.api_secret)

    def send_events_to(
        self, url: str, *, password: str | None = None, grouping: bool = False
    ) -> None:
        """Point the event handler at ``url`` (admin API ``tweak``), with this password."""
        self.admin(
            {
                "janus": "query_eventhandler",
                "handler": "janus.eventhandler.sampleevh",
                "request": {
                    "request": "tweak",
                    "backend": url,
                    "backend_user": EVENT_USER,
                    "backend_pwd": self.event_secret if password is None else password,
                    "grouping": grouping,
                },
            }
        )

    def admin(self, body: dict[str, Any]) -> dict[str, Any]:
        request = {**body, "transaction": secrets.token_hex(8), "admin_secret": self.admin_secret}
        answer: dict[str, Any] = requests.post(self.admin_url, json=request, timeout=5).json()
        if answer.get("janus") != "success" or "error" in answer.get("response", {}):
            raise RuntimeError(f"Janus's admin API refused {body['janus']}: {answer}")
        return answer

    def log(self, lines: int = 40) -> str:
        text = (self.directory / "janus.log").read_text(errors="replace")
        return "\n".join(text.splitlines()[-lines:])


def write_config(
    directory: Path, *, http_port: int, ws_port: int, admin_port: int, stats_period: int = 5
) -> dict[str, str]:
    """Janus's configuration files in ``directory``; the secrets they hold."""
    keys = {
        name: secrets.token_urlsafe(18)
        for name in ("api_secret", "admin_secret", "admin_key", "event_secret")
    }
    folders = _modules(directory)
    interfaces = ice_interfaces()
    files = {
        "janus.jcfg": f"""
general: {{
    configs_folder = "{directory}"
    plugins_folder = "{folders["plugins"]}"
    transports_folder = "{folders["transports"]}"
    events_folder = "{folders["events"]}"
    loggers_folder = "{folders["loggers"]}"
    debug_level = 4
    server_name = "haicap-test"
    api_secret = "{keys["api_secret"]}"
    admin_secret = "{keys["admin_secret"]}"
    session_timeout = 60
}}
nat: {{
    ice_lite = true
    {f'ice_enforce_list = "{interfaces}"' if interfaces else ""}
    nice_debug = false
}}
events: {{
    broadcast = true
    stats_period = {stats_period}
}}
""",
        "janus.transport.http.jcfg": f"""
general: {{
    json = "plain"
    base_path = "/janus"
    http = true
    ip = "127.0.0.1"
    port = {http_port}
    https = false
}}
admin: {{
    admin_base_path = "/admin"
    admin_http = true
    admin_ip = "127.0.0.1"
    admin_port = {admin_port}
    admin_https = false
}}
""",
        "janus.transport.websockets.jcfg": f"""
general: {{
    json = "plain"
    ws = true
    ws_ip = "127.0.0.1"
    ws_port = {ws_port}
    wss = false
}}
admin: {{
    admin_ws = false
}}
""",
        "janus.plugin.videoroom.jcfg": f"""
general: {{
    admin_key = "{keys["admin_key"]}"
}}
""",
        "janus.eventhandler.sampleevh.jcfg": f"""
general: {{
    enabled = true
    events = "sessions,handles,webrtc,media,plugins"
    grouping = false
    json = "plain"
    backend = "{NOWHERE}"
    backend_user = "{EVENT_USER}"
    backend_pwd = "{keys["event_secret"]}"
    max_retransmissions = 0
}}
""",
    }
    for name, text in files.items():
        (directory / name).write_text(text.lstrip())
    return keys


@contextlib.contextmanager
def running_janus(directory: Path, *, stats_period: int = 5) -> Iterator[JanusServer]:
    """Janus started with its own config in ``directory``, answering, stopped afterwards."""
    binary = janus_binary()
    if binary is None:
        raise RuntimeError("Debian's janus is not installed: run `make janus` (make test does)")
    http_port, ws_port, admin_port = free_port(), free_port(), free_port()
    keys = write_config(
        directory,
        http_port=http_port,
        ws_port=ws_port,
        admin_port=admin_port,
        stats_period=stats_period,
    )
    with (directory / "janus.log").open("wb") as log:
        config = ["--config", str(directory / "janus.jcfg"), "--configs-folder", str(directory)]
        process = subprocess.Popen(  # noqa: S603  (Debian's janus with the config written above)
            [binary, *config, "--disable-colors"],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = JanusServer(
        url=f"http://127.0.0.1:{http_port}/janus",
        ws_url=f"ws://127.0.0.1:{ws_port}",
        admin_url=f"http://127.0.0.1:{admin_port}/admin",
        directory=directory,
        process=process,
        **keys,
    )
    try:
        _wait_until_answering(server)
        yield server
    finally:
        process.send_signal(signal.SIGINT)  # Janus's own clean stop
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_answering(server: JanusServer, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        if server.process.poll() is not None:
            raise RuntimeError(f"Janus stopped at start:\n{server.log()}")
        with contextlib.suppress(requests.RequestException):
            if requests.get(f"{server.url}/info", timeout=1).json().get("name"):
                return
        if time.monotonic() > deadline:
            raise RuntimeError(f"Janus did not answer within {seconds:g} s:\n{server.log()}")
        time.sleep(0.2)


@pytest.fixture(scope="session")
def janus_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[JanusServer]:
    """One Janus for the whole run; missing Janus fails the run (`make test` installs it)."""
    if janus_binary() is None:
        pytest.fail("Debian's janus is not installed: run `make janus` (make test does)")
    try:
        # Statistics every 2 s (5 in docs/meetings.md) so browser tests see them sooner.
        with running_janus(tmp_path_factory.mktemp("janus"), stats_period=2) as server:
            yield server
    except RuntimeError as exc:
        pytest.fail(str(exc))


@dataclass
class EventLog:
    """Every MediaEvent haicap's receiver passed on, as they arrive (from the server thread)."""

    events: list[MediaEvent] = field(default_factory=list)
    changed: threading.Condition = field(default_factory=threading.Condition)

    def receive(self, sender: Any, events: list[MediaEvent], **kwargs: Any) -> None:
        with self.changed:
            self.events.extend(events)
            self.changed.notify_all()

    def wait_for(
        self, matches: Callable[[MediaEvent], bool], *, seconds: float = 15, count: int = 1
    ) -> list[MediaEvent]:
        """The first ``count`` events that match, waiting up to ``seconds`` for them."""
        deadline = time.monotonic() + seconds
        with self.changed:
            while True:
                found = [event for event in self.events if matches(event)]
                if len(found) >= count:
                    return found[:count]
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(
                        f"{len(found)} of {count} expected events in {seconds:g} s; "
                        f"got {len(self.events)} events in all"
                    )
                self.changed.wait(left)

    def matching(self, matches: Callable[[MediaEvent], bool]) -> list[MediaEvent]:
        with self.changed:
            return [event for event in self.events if matches(event)]


@pytest.fixture
def janus_events(janus_server: JanusServer, live_server: Any, settings: Any) -> Iterator[EventLog]:
    """Janus's callbacks reaching haicap's receiver on the live server, with the right secret."""
    settings.JANUS_EVENT_SECRET = janus_server.event_secret
    janus_server.send_events_to(f"{live_server.url}{reverse('meetings:janus_events')}")
    log = EventLog()
    media_events.connect(log.receive, weak=False, dispatch_uid="janus_events_fixture")
    try:
        yield log
    finally:
        media_events.disconnect(dispatch_uid="janus_events_fixture")


class RestPublisher:
    """A participant joining a room over the REST API as a publisher without media."""

    def __init__(self, server: JanusServer) -> None:
        self.session = server.session()
        self.session.create()
        self.handle = self.session.attach(VIDEOROOM)

    def join(self, room: int, *, token: str | None, display: str) -> dict[str, Any]:
        """Janus's answer to the join: ``joined`` or an event with ``error_code``."""
        body: dict[str, Any] = {
            "request": "join",
            "ptype": "publisher",
            "room": room,
            "display": display,
        }
        if token is not None:
            body["token"] = token
        return self._ask(body)

    def leave(self) -> dict[str, Any]:
        return self._ask({"request": "leave"})

    def close(self) -> None:
        self.session.destroy()

    def _ask(self, body: dict[str, Any]) -> dict[str, Any]:
        ack = self.session.message(self.handle, body)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            for event in self.session.poll():
                if event.get("transaction") == ack.get("transaction"):
                    data: dict[str, Any] = event["plugindata"]["data"]
                    return data
        raise AssertionError(f"Janus never answered {body['request']}")


# A fake camera (a moving test pattern) and microphone (a beep), allowed without asking.
FAKE_MEDIA_ARGS = ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"]


@pytest.fixture(scope="module")
def media_browser() -> Iterator[Browser]:
    """Debian's Chromium with fake media devices; each page in its own context is one point."""
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=chromium_path(), args=CHROMIUM_ARGS + FAKE_MEDIA_ARGS
        )
        yield chromium
        chromium.close()
