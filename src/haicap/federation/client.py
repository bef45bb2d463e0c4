"""The province's side of the protocol: a session with the hub and signed calls."""

from __future__ import annotations

import json
import threading
from typing import Any

import requests
from django.conf import settings

from haicap.federation.protocol import DSTCODE_HEADER, ErrorCode, signed_headers


class HubUnavailable(Exception):
    """The hub did not answer, or answered 5xx: try again later, never a dead letter."""


class Refused(Exception):
    """The hub refused the call: its error code, message and the item at fault, if any."""

    def __init__(self, answer: dict[str, Any]) -> None:
        self.code = int(answer.get("error_code", -1))
        self.message = str(answer.get("message", ""))[:250]
        index = answer.get("index")
        self.index = index if isinstance(index, int) else None
        super().__init__(f"{self.code}: {self.message}")


_SHARED: HubClient | None = None


class HubClient:
    """Signed calls to one hub; logs in when it has no session or the hub dropped it."""

    def __init__(
        self,
        base_url: str,
        *,
        dstcode: str,
        username: str,
        password: str,
        key: str,
        timeout: float = 10,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.dstcode = dstcode
        self.username = username
        self.password = password
        self.key = key
        self.timeout = timeout
        self.session: str | None = None
        self.http = requests.Session()
        self._lock = threading.Lock()

    @classmethod
    def shared(cls) -> HubClient | None:
        """This process's client, kept so its session (and connection) serve every push."""
        global _SHARED
        if _SHARED is None:
            _SHARED = cls.from_settings()
        return _SHARED

    @classmethod
    def from_settings(cls) -> HubClient | None:
        if not settings.FEDERATION_HUB_URL or settings.HAICAP_ROLE == "hub":
            return None
        return cls(
            settings.FEDERATION_HUB_URL,
            dstcode=settings.FEDERATION_DSTCODE,
            username=settings.FEDERATION_USERNAME,
            password=settings.FEDERATION_PASSWORD,
            key=settings.FEDERATION_KEY,
            timeout=settings.FEDERATION_TIMEOUT,
        )

    def _post(self, path: str, payload: dict[str, Any], headers: dict[str, str]) -> dict[str, Any]:
        body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
        headers = {
            **headers,
            **signed_headers(self.key, body),
            "Content-Type": "application/json; charset=utf-8",
        }
        try:
            response = self.http.post(
                f"{self.base_url}{path}", data=body, headers=headers, timeout=self.timeout
            )
        except requests.RequestException as exc:
            raise HubUnavailable(type(exc).__name__) from None
        if response.status_code >= 500 or response.status_code in (408, 429):
            raise HubUnavailable(f"HTTP {response.status_code}")
        try:
            answer = response.json()
        except ValueError:
            if response.status_code == 413:
                # The body too large for what stands in front of the hub: the batch's fault.
                raise Refused(
                    {"error_code": ErrorCode.MALFORMED, "message": "HTTP 413: too large"}
                ) from None
            raise HubUnavailable(f"HTTP {response.status_code}: not JSON") from None
        if not isinstance(answer, dict):
            raise HubUnavailable("not a JSON object")
        if answer.get("error_code") != ErrorCode.OK:
            raise Refused(answer)
        return answer

    def login(self) -> str:
        answer = self._post(
            "/api/v1/federation/auth",
            {"username": self.username, "password": self.password},
            {DSTCODE_HEADER: self.dstcode},
        )
        self.session = str(answer["session"])
        return self.session

    def call(self, service: str, madonvi: str, **fields: Any) -> dict[str, Any]:
        """One integration call; logs in again once if the hub has forgotten the session."""
        with self._lock:
            session = self.session or self.login()
        payload = {"session": session, "madonvi": madonvi, "service": service, **fields}
        try:
            return self._post("/api/v1/federation/integration", payload, {})
        except Refused as refusal:
            if refusal.code != ErrorCode.SESSION:
                raise
        with self._lock:
            payload["session"] = self.login()
        return self._post("/api/v1/federation/integration", payload, {})
