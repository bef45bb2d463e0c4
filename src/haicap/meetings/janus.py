"""The media engine on Janus: its HTTP REST API and the VideoRoom plugin (Debian's `janus`).

Every VideoRoom request haicap makes is synchronous, so one Janus session with one VideoRoom
handle serves them all; when Janus has dropped the session (idle longer than its
``session_timeout``), the request is sent again once on a new one. What Janus posts back
through its HTTP event handler is read by ``janus_events.py``.
"""

from __future__ import annotations

import re
import secrets
import threading
from collections.abc import Sequence
from types import TracebackType
from typing import Any, Self

import requests

from haicap.core.errors import Invalid
from haicap.meetings.media import (
    MediaError,
    MediaUnavailable,
    Participant,
    RoomExists,
    RoomNotFound,
)

VIDEOROOM = "janus.plugin.videoroom"
# Janus and janus.js carry ids as JSON numbers: keep them exact in a browser's doubles.
MAX_ROOM = 2**53 - 1
MAX_PUBLISHERS = 500
MAX_TOKENS = 1000
MAX_DESCRIPTION = 200
TOKEN = re.compile(r"[A-Za-z0-9_.~-]{16,128}")
SECRET = re.compile(r"[\x21-\x7e]{8,128}")
# Janus holds a long poll for at most 30 s before answering with a keepalive.
POLL_SECONDS = 35

# VideoRoom error codes (janus_videoroom.c, JANUS_VIDEOROOM_ERROR_*).
NO_SUCH_ROOM = 426
ROOM_EXISTS = 427
UNAUTHORIZED = 433
# Janus core error codes (apierror.h).
CORE_UNAUTHORIZED = 403
NO_SUCH_SESSION = 458
NO_SUCH_HANDLE = 459


class SessionGone(MediaError):
    """Janus no longer knows the session or handle (timed out, or Janus restarted)."""

    code = "media_session_gone"


class JanusSession:
    """One session on Janus's REST API: create, attach, message, poll, keepalive, destroy."""

    def __init__(
        self,
        url: str,
        *,
        api_secret: str | None = None,
        timeout: float = 5.0,
        http: requests.Session | None = None,
    ) -> None:
        self.url = url.rstrip("/")
        self.api_secret = api_secret
        self.timeout = timeout
        self.http = http or requests.Session()
        self.id: int | None = None

    def create(self) -> int:
        self.id = int(self._post("", {"janus": "create"})["data"]["id"])
        return self.id

    def attach(self, plugin: str) -> int:
        return int(self._post(self._path(), {"janus": "attach", "plugin": plugin})["data"]["id"])

    def message(self, handle: int, body: dict[str, Any], jsep: Any = None) -> dict[str, Any]:
        """Send a plugin request; the answer (synchronous) or Janus's ack (asynchronous)."""
        request: dict[str, Any] = {"janus": "message", "body": body}
        if jsep is not None:
            request["jsep"] = jsep
        return self._post(f"{self._path()}/{handle}", request)

    def poll(self, *, max_events: int = 10) -> list[dict[str, Any]]:
        """Events Janus queued for this session, waiting up to 30 s for the first one."""
        params: dict[str, str | int] = {"maxev": max_events}
        if self.api_secret:
            params["apisecret"] = self.api_secret
        answer = self._send("GET", self._path(), params=params, timeout=POLL_SECONDS)
        events = answer if isinstance(answer, list) else [answer]
        for event in events:
            _raise_core_error(event)
        return [event for event in events if event.get("janus") != "keepalive"]

    def keepalive(self) -> None:
        self._post(self._path(), {"janus": "keepalive"})

    def destroy(self) -> None:
        if self.id is None:
            return
        try:
            self._post(self._path(), {"janus": "destroy"})
        except SessionGone:
            pass  # already gone: what destroying it was for
        finally:
            self.id = None

    def _path(self) -> str:
        if self.id is None:
            raise SessionGone("No Janus session is open")
        return f"/{self.id}"

    def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        request = {**body, "transaction": secrets.token_hex(8)}
        if self.api_secret:
            request["apisecret"] = self.api_secret
        answer = self._send("POST", path, json=request, timeout=self.timeout)
        if not isinstance(answer, dict):
            raise MediaError("Janus answered with something other than a JSON object")
        _raise_core_error(answer)
        return answer

    def _send(self, method: str, path: str, *, timeout: float, **kwargs: Any) -> Any:
        try:
            response = self.http.request(method, self.url + path, timeout=timeout, **kwargs)
        except requests.Timeout:
            raise MediaUnavailable(f"Janus did not answer within {timeout:g} s") from None
        except requests.RequestException as exc:
            raise MediaUnavailable(
                f"Janus cannot be reached at {self.url} ({type(exc).__name__})"
            ) from None
        if response.status_code != 200:
            raise MediaError(f"Janus answered HTTP {response.status_code} at {self.url}")
        try:
            return response.json()
        except ValueError:
            raise MediaError("Janus answered with something other than JSON") from None


def _raise_core_error(answer: dict[str, Any]) -> None:
    if answer.get("janus") != "error":
        return
    error = answer.get("error") or {}
    code, reason = error.get("code"), error.get("reason", "no reason given")
    if code in (NO_SUCH_SESSION, NO_SUCH_HANDLE):
        raise SessionGone(f"Janus: {reason}")
    if code == CORE_UNAUTHORIZED:
        raise MediaError(f"Janus refused haicap's API secret (HAICAP_JANUS_API_SECRET): {reason}")
    raise MediaError(f"Janus: {reason} ({code})")


class JanusEngine:
    """The ``MediaEngine`` on Janus's VideoRoom, safe to share between threads."""

    def __init__(
        self,
        url: str,
        *,
        api_secret: str | None = None,
        admin_key: str | None = None,
        timeout: float = 5.0,
    ) -> None:
        self.session = JanusSession(url, api_secret=api_secret, timeout=timeout)
        self.admin_key = admin_key
        self._handle: int | None = None
        self._lock = threading.Lock()

    def create_room(
        self,
        room: int,
        *,
        secret: str,
        description: str,
        max_publishers: int,
        tokens: Sequence[str],
    ) -> None:
        body: dict[str, Any] = {
            "request": "create",
            "room": _room(room),
            "permanent": False,
            "is_private": True,  # left out of the public room list
            "secret": _secret(secret),
            "description": _description(description),
            "publishers": _publishers(max_publishers),
            # An empty list still turns the check on: nobody may join until tokens are added.
            "allowed": _tokens(tokens),
        }
        if self.admin_key:
            body["admin_key"] = self.admin_key
        self._videoroom(body)

    def edit_room(
        self,
        room: int,
        *,
        secret: str,
        description: str | None = None,
        max_publishers: int | None = None,
    ) -> None:
        body: dict[str, Any] = {"request": "edit", "room": _room(room), "secret": secret}
        if description is not None:
            body["new_description"] = _description(description)
        if max_publishers is not None:
            body["new_publishers"] = _publishers(max_publishers)
        self._videoroom(body)

    def destroy_room(self, room: int, *, secret: str) -> None:
        self._videoroom({"request": "destroy", "room": _room(room), "secret": secret})

    def set_tokens(self, room: int, *, secret: str, tokens: Sequence[str]) -> None:
        wanted = _tokens(tokens)
        # Janus only adds and removes: "enable" switches the check on and says what is there.
        # New tokens go in before old ones go out, so a point whose token stays never fails.
        current = self._allowed(room, secret, "enable", [])
        added = [token for token in wanted if token not in current]
        removed = [token for token in current if token not in wanted]
        if added:
            self._allowed(room, secret, "add", added)
        if removed:
            self._allowed(room, secret, "remove", removed)

    def participants(self, room: int) -> list[Participant]:
        data = self._videoroom({"request": "listparticipants", "room": _room(room)})
        return [
            Participant(
                id=str(entry["id"]),
                display=entry.get("display"),
                publishing=bool(entry.get("publisher")),
            )
            for entry in data.get("participants", [])
        ]

    def keepalive(self) -> None:
        """Keep the session open across a quiet spell (Janus drops it after its timeout)."""
        with self._lock:
            if self.session.id is None:
                return
            try:
                self.session.keepalive()
            except SessionGone:
                self._forget_session()

    def close(self) -> None:
        with self._lock:
            self.session.destroy()
            self._handle = None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def _allowed(self, room: int, secret: str, action: str, tokens: list[str]) -> list[str]:
        body: dict[str, Any] = {
            "request": "allowed",
            "room": _room(room),
            "secret": secret,
            "action": action,
        }
        if action != "enable":
            body["allowed"] = tokens
        return list(self._videoroom(body).get("allowed", []))

    def _videoroom(self, body: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            try:
                answer = self._send(body)
            except SessionGone:
                # Janus dropped our idle session or restarted: the request never ran.
                self._forget_session()
                answer = self._send(body)
        data = (answer.get("plugindata") or {}).get("data")
        if not isinstance(data, dict):
            raise MediaError("Janus's VideoRoom answered without data")
        _raise_videoroom_error(data, body)
        return data

    def _send(self, body: dict[str, Any]) -> dict[str, Any]:
        if self._handle is None:
            self.session.create()
            self._handle = self.session.attach(VIDEOROOM)
        return self.session.message(self._handle, body)

    def _forget_session(self) -> None:
        self.session.id = None
        self._handle = None


def _raise_videoroom_error(data: dict[str, Any], body: dict[str, Any]) -> None:
    code = data.get("error_code")
    if code is None:
        return
    reason = f"Janus VideoRoom: {data.get('error', 'no reason given')}"
    if code == NO_SUCH_ROOM:
        raise RoomNotFound(reason)
    if code == ROOM_EXISTS:
        raise RoomExists(reason)
    if code == UNAUTHORIZED:
        what = "admin key (HAICAP_JANUS_ADMIN_KEY)" if body["request"] == "create" else "secret"
        raise MediaError(f"{reason}: Janus refused the room's {what}", code="media_refused")
    raise MediaError(f"{reason} ({code})")


def _room(room: int) -> int:
    if isinstance(room, bool) or not isinstance(room, int) or not 0 < room <= MAX_ROOM:
        raise Invalid(f"A room number runs from 1 to {MAX_ROOM}", field="room")
    return room


def _secret(secret: str) -> str:
    if not SECRET.fullmatch(secret):
        raise Invalid("A room secret is 8 to 128 visible ASCII characters", field="secret")
    return secret


def _description(description: str) -> str:
    text = description.strip()
    if not text or len(text) > MAX_DESCRIPTION or not text.isprintable():
        raise Invalid(
            f"A room description is 1 to {MAX_DESCRIPTION} printable characters",
            field="description",
        )
    return text


def _publishers(count: int) -> int:
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_PUBLISHERS:
        raise Invalid(f"A room holds 1 to {MAX_PUBLISHERS} publishers", field="max_publishers")
    return count


def _tokens(tokens: Sequence[str]) -> list[str]:
    if isinstance(tokens, str):
        raise Invalid("Join tokens come as a list", field="tokens")
    unique = list(dict.fromkeys(tokens))
    if len(unique) > MAX_TOKENS:
        raise Invalid(f"A room takes at most {MAX_TOKENS} join tokens", field="tokens")
    for token in unique:
        if not isinstance(token, str) or not TOKEN.fullmatch(token):
            raise Invalid(
                "A join token is 16 to 128 letters, digits or the characters _ . ~ -",
                field="tokens",
            )
    return unique
