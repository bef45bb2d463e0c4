"""The hub's side of the protocol: sessions, signatures, nonces, and the services.

Each request is checked in this order, and the first failure answers: JSON, session (or
``dstcode`` for the auth call), signature, clock window, nonce, ``madonvi``, the service's
data. A refused request changes nothing (the services run in one transaction).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
import time
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import RequestDataTooBig
from django.db import IntegrityError, connection, transaction
from django.http import HttpRequest, JsonResponse
from django.utils import timezone

from haicap.core import guards
from haicap.federation import actions, services
from haicap.federation.models import HubNonce, HubProvince, HubSession
from haicap.federation.protocol import (
    DSTCODE_HEADER,
    HTTP_STATUS,
    RECONCILE,
    SERVICES,
    ErrorCode,
    ProtocolError,
    check_signature,
)
from haicap.units.models import AdminUnit

_UNITS: tuple[float, dict[str, tuple[int, int]]] = (0.0, {})
UNITS_TTL = 300


def units_by_code() -> dict[str, tuple[int, int]]:
    """Agency code → (unit id, province id) of units in force; kept five minutes."""
    global _UNITS
    loaded, table = _UNITS
    if time.monotonic() - loaded < UNITS_TTL and table:
        return table
    rows = AdminUnit.objects.filter(valid_to__isnull=True).exclude(agency_code="")
    table = {
        code: (pk, province or pk)
        for pk, code, province in rows.values_list("pk", "agency_code", "province_id")
    }
    _UNITS = (time.monotonic(), table)
    return table


def answer(result: dict[str, Any], status: int = 200) -> JsonResponse:
    return JsonResponse(result, status=status, json_dumps_params={"ensure_ascii": False})


def refusal(error: ProtocolError) -> JsonResponse:
    body: dict[str, Any] = {"error_code": int(error.code), "message": error.message}
    detail = {"code": error.code.name.lower(), "message": error.message}
    if error.field:
        detail["field"] = error.field
    if error.index is not None:
        body["index"] = error.index
    body["error"] = detail
    return answer(body, HTTP_STATUS[error.code])


def _body(request: HttpRequest) -> tuple[bytes, dict[str, Any]]:
    try:
        raw = request.body
    except RequestDataTooBig:
        raise ProtocolError(ErrorCode.MALFORMED, "The request is too large.") from None
    if b"\x00" in raw:
        raise ProtocolError(ErrorCode.MALFORMED, "The request contains a NUL byte.")
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError, RecursionError):  # nested too deep: not ours
        raise ProtocolError(ErrorCode.MALFORMED, "The request body is not JSON.") from None
    # The input guard checks JSON bodies before any view; a body sent under another type
    # reaches this point unchecked.
    try:
        found = guards.json_text_problem(data)
    except RecursionError:  # nested too deep: not ours
        found = ("The request body is not JSON.", None)
    if found is not None:
        raise ProtocolError(ErrorCode.MALFORMED, found[0], field=found[1] or "")
    if not isinstance(data, dict):
        raise ProtocolError(ErrorCode.MALFORMED, "The request body must be a JSON object.")
    return raw, data


def _verify(province: HubProvince, request: HttpRequest, raw: bytes) -> None:
    """Signature, clock window and a nonce never seen before (stored until it expires)."""
    now = timezone.now()
    skew = settings.FEDERATION_CLOCK_SKEW
    nonce, _sent = check_signature(province.key, dict(request.headers), raw, now=now, skew=skew)
    try:
        with transaction.atomic():
            HubNonce.objects.create(
                province=province, nonce=nonce, expires_at=now + dt.timedelta(seconds=2 * skew)
            )
    except IntegrityError:
        raise ProtocolError(
            ErrorCode.REPLAY, "This request was already received (replay).", field="nonce"
        ) from None


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def authenticate(request: HttpRequest) -> JsonResponse:
    """POST /api/v1/federation/auth: ``dstcode`` header, username and password → session.

    A refusal counts in the province's error rate only once the request is signed with its
    key: anyone may send a ``dstcode``, and must not move the monitor's figures with it."""
    province = None
    signed = False
    try:
        raw, data = _body(request)
        dstcode = request.headers.get(DSTCODE_HEADER, "")[:20]
        province = HubProvince.objects.filter(dstcode=dstcode).first()
        if province is None:
            raise ProtocolError(ErrorCode.LOGIN_FAILED, "Unknown dstcode.", field="dstcode")
        with transaction.atomic():
            _verify(province, request, raw)
            signed = True
            username, password = data.get("username"), data.get("password")
            if not (
                isinstance(username, str)
                and isinstance(password, str)
                and secrets.compare_digest(username, province.username)
                and check_password(password, province.password)
            ):
                raise ProtocolError(
                    ErrorCode.LOGIN_FAILED, "Wrong username or password.", field="username"
                )
            token = secrets.token_urlsafe(32)
            expires = timezone.now() + dt.timedelta(seconds=settings.FEDERATION_SESSION_SECONDS)
            HubSession.objects.create(
                token_hash=_token_hash(token), province=province, expires_at=expires
            )
            actions.count_call(province, ok=True, changes=0)
        return answer({"error_code": 0, "session": token, "expires": expires.isoformat()})
    except ProtocolError as error:
        if province is not None and signed:
            actions.count_call(province, ok=False, changes=0, error=error.message)
        return refusal(error)


def integrate(request: HttpRequest) -> JsonResponse:
    """POST /api/v1/federation/integration: ``session``, ``madonvi``, ``service`` and data."""
    province = None
    try:
        raw, data = _body(request)
        token = data.get("session")
        if not isinstance(token, str) or not token:
            raise ProtocolError(ErrorCode.SESSION, "The session is missing.", field="session")
        session = (
            HubSession.objects.select_related("province")
            .filter(token_hash=_token_hash(token), expires_at__gt=timezone.now())
            .first()
        )
        if session is None:
            raise ProtocolError(
                ErrorCode.SESSION, "Unknown or expired session: log in again.", field="session"
            )
        province = session.province
        service = data.get("service")
        if service not in (*SERVICES, RECONCILE):
            raise ProtocolError(
                ErrorCode.UNKNOWN_SERVICE,
                f"Unknown service {str(service)[:40]!r}.",
                field="service",
            )
        with transaction.atomic():
            _verify(province, request, raw)
            _bound(province, data.get("madonvi"))
            result, changes = services.run(province, str(service), data, units_by_code())
            actions.count_call(province, ok=True, changes=changes)
        return answer({"error_code": 0, **result})
    except ProtocolError as error:
        if province is not None:
            actions.count_call(province, ok=False, changes=0, error=error.message)
        return refusal(error)


def _bound(province: HubProvince, madonvi: object) -> None:
    """The call's ``madonvi`` must be a unit of the province the credentials belong to."""
    if not isinstance(madonvi, str) or not madonvi:
        raise ProtocolError(ErrorCode.UNKNOWN_UNIT, "madonvi is missing.", field="madonvi")
    unit = units_by_code().get(madonvi)
    if unit is None:
        raise ProtocolError(
            ErrorCode.UNKNOWN_UNIT, f"Unknown madonvi {madonvi[:40]!r}.", field="madonvi"
        )
    if unit[1] != province.province_id:
        raise ProtocolError(
            ErrorCode.UNKNOWN_UNIT,
            f"madonvi {madonvi} is not a unit of {province.dstcode}.",
            field="madonvi",
        )


def purge() -> int:
    """Drop expired nonces and sessions (the hourly job)."""
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM federation_hubnonce WHERE expires_at < %s", [now])
        removed = int(cursor.rowcount)
        cursor.execute("DELETE FROM federation_hubsession WHERE expires_at < %s", [now])
    return removed
