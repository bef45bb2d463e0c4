"""The wire format shared by province and hub: dates, codes, signatures, error codes.

Shaped like the national portal's integration as OpenCPS calls it (docs/federation.md):
a session from the auth endpoint, then POSTs to the integration endpoint carrying
``session``, ``madonvi`` and ``service``; dates ``yyyyMMddHHmmss`` in Asia/Ho_Chi_Minh;
answers with ``error_code`` 0 on success. Every body is signed with the province's key.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from enum import IntEnum

from haicap.core.calendar import ZONE

SERVICES = ("DongBoHoSoMC", "CapNhatTienDoHoSoMC", "TraCuuHoSo", "LayThuTuc", "LayDanhSachTTHC")
# Our one addition: a day's counts compared with the hub's (đối soát).
RECONCILE = "DoiSoatHoSo"

TIMESTAMP_HEADER = "X-Haicap-Timestamp"
NONCE_HEADER = "X-Haicap-Nonce"
SIGNATURE_HEADER = "X-Haicap-Signature"
DSTCODE_HEADER = "dstcode"

_DATE = re.compile(r"[0-9]{14}")  # ASCII digits only (\d takes any script's)
_NONCE = re.compile(r"[A-Za-z0-9_-]{16,64}")
# Bounds on every date received: nothing before the first one-stop shops, nothing absurd.
EARLIEST = dt.datetime(2000, 1, 1, tzinfo=ZONE)
LATEST = dt.datetime(2100, 1, 1, tzinfo=ZONE)
STATUSES = range(1, 11)  # TrangThaiHoSo, DOMAIN §3
CHANNELS = range(1, 4)  # HinhThuc
APPLICANT_KINDS = (1, 2)  # LoaiDoiTuong: citizen, business


class ErrorCode(IntEnum):
    OK = 0
    MALFORMED = 1  # not JSON, a field missing or of the wrong type
    LOGIN_FAILED = 2  # unknown dstcode, wrong username or password
    BAD_SIGNATURE = 3
    REPLAY = 4  # a nonce seen before, or a timestamp outside the window
    SESSION = 5  # unknown or expired session
    UNKNOWN_UNIT = 6  # madonvi unknown, or not a unit of this province
    INVALID = 7  # a malformed date, an unknown status, a bad value
    UNKNOWN_SERVICE = 8
    NOT_FOUND = 9
    OTHER_PROVINCE = 10  # a dossier that belongs to another province


# The HTTP status answered with each code.
HTTP_STATUS = {
    ErrorCode.OK: 200,
    ErrorCode.MALFORMED: 400,
    ErrorCode.LOGIN_FAILED: 401,
    ErrorCode.BAD_SIGNATURE: 401,
    ErrorCode.REPLAY: 409,
    ErrorCode.SESSION: 401,
    ErrorCode.UNKNOWN_UNIT: 403,
    ErrorCode.INVALID: 422,
    ErrorCode.UNKNOWN_SERVICE: 400,
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.OTHER_PROVINCE: 403,
}


class ProtocolError(Exception):
    """A refusal: its code, a message for people and, when one item is at fault, which."""

    def __init__(
        self, code: ErrorCode, message: str, *, field: str = "", index: int | None = None
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
        self.index = index


def format_date(value: dt.datetime | None) -> str:
    """``yyyyMMddHHmmss`` in Vietnam's time, or "" for no date."""
    return value.astimezone(ZONE).strftime("%Y%m%d%H%M%S") if value else ""


def parse_date(value: object, field: str, *, index: int | None = None) -> dt.datetime | None:
    """A ``yyyyMMddHHmmss`` date (or "" / null for none); ProtocolError on anything else."""
    if value in ("", None):
        return None
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        raise ProtocolError(
            ErrorCode.INVALID,
            f"{field} must be a date as yyyyMMddHHmmss, not {str(value)[:20]!r}.",
            field=field,
            index=index,
        )
    try:
        parsed = dt.datetime.strptime(value, "%Y%m%d%H%M%S").replace(tzinfo=ZONE)
    except ValueError:
        raise ProtocolError(
            ErrorCode.INVALID, f"{field}: {value} is not a real date.", field=field, index=index
        ) from None
    if not EARLIEST <= parsed < LATEST:
        raise ProtocolError(
            ErrorCode.INVALID, f"{field}: {value} is out of range.", field=field, index=index
        )
    return parsed


def new_nonce() -> str:
    return secrets.token_urlsafe(18)


def signature(key: str, timestamp: str, nonce: str, body: bytes) -> str:
    """HMAC-SHA256 of ``timestamp\\nnonce\\nbody`` under the province's key, in hex."""
    message = timestamp.encode() + b"\n" + nonce.encode() + b"\n" + body
    return hmac.new(key.encode(), message, hashlib.sha256).hexdigest()


def signed_headers(key: str, body: bytes, *, now: dt.datetime | None = None) -> dict[str, str]:
    timestamp = str(int((now or dt.datetime.now(tz=ZONE)).timestamp()))
    nonce = new_nonce()
    return {
        TIMESTAMP_HEADER: timestamp,
        NONCE_HEADER: nonce,
        SIGNATURE_HEADER: signature(key, timestamp, nonce, body),
    }


def check_signature(
    key: str, headers: dict[str, str], body: bytes, *, now: dt.datetime, skew: int
) -> tuple[str, int]:
    """The request's nonce and timestamp once its signature and clock check out."""
    timestamp = headers.get(TIMESTAMP_HEADER, "")
    nonce = headers.get(NONCE_HEADER, "")
    given = headers.get(SIGNATURE_HEADER, "")
    if (
        not (timestamp.isascii() and timestamp.isdigit())
        or len(timestamp) > 12
        or not _NONCE.fullmatch(nonce)
    ):
        raise ProtocolError(
            ErrorCode.BAD_SIGNATURE,
            "The request must carry a timestamp, a nonce and a signature.",
            field=SIGNATURE_HEADER,
        )
    if not hmac.compare_digest(signature(key, timestamp, nonce, body), given):
        raise ProtocolError(
            ErrorCode.BAD_SIGNATURE, "The signature does not match.", field=SIGNATURE_HEADER
        )
    seconds = int(timestamp)
    if abs(now.timestamp() - seconds) > skew:
        raise ProtocolError(
            ErrorCode.REPLAY,
            "The request's timestamp is too far from the hub's clock.",
            field=TIMESTAMP_HEADER,
        )
    return nonce, seconds


def lookup_hash(key: str, code: str, secret: str) -> str:
    """What the hub keeps of a dossier's lookup secret: an HMAC under the hub's own key."""
    message = f"{code}\n{secret.strip().upper()}".encode()
    return hmac.new(key.encode(), message, hashlib.sha256).hexdigest()
