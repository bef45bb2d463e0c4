"""The payment gateway, in the shape of the national payment platform (Nền tảng thanh toán).

Three calls and one message:
- **create** a transaction for an order (haicap's payment reference, the amount, a description,
  where to send the citizen back and where to post the result): the gateway answers with its
  transaction id and the address to redirect the citizen to;
- the citizen pays on the gateway's page, which then **posts a signed callback** to haicap and
  sends the citizen back to the return address;
- **query** the status of an order, when a callback is late.

Callbacks are signed with HMAC-SHA256 over the canonical fields (``key=value`` joined by ``&``,
keys sorted, UTF-8), hex-encoded in ``signature``; ``timestamp`` (Unix seconds) bounds replays.
``SandboxGateway`` (sandbox.py) speaks this protocol inside haicap for demos and tests.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from haicap.core.errors import DomainError, Forbidden, Invalid

# The fields a callback carries, all signed; anything else is refused.
CALLBACK_FIELDS = (
    "merchant_code",
    "order_id",
    "transaction_id",
    "amount",
    "status",
    "timestamp",
)
SUCCESS = "00"


class Expired(DomainError):
    status = 400
    code = "callback_expired"


@dataclass(frozen=True)
class Created:
    transaction_id: str
    redirect_url: str


@dataclass(frozen=True)
class Callback:
    """A callback whose signature and time were checked."""

    order_id: str
    transaction_id: str
    amount: int
    status: str

    @property
    def succeeded(self) -> bool:
        return self.status == SUCCESS


@dataclass(frozen=True)
class Status:
    order_id: str
    transaction_id: str
    amount: int
    status: str  # "pending", SUCCESS, or a failure code


class Gateway(Protocol):
    name: str

    def create(
        self, *, order_id: str, amount: int, description: str, return_url: str, notify_url: str
    ) -> Created: ...

    def query(self, order_id: str) -> Status: ...


def secret() -> bytes:
    """The key callbacks are signed with: HAICAP_PAYMENT_SECRET, else derived (sandbox)."""
    if settings.PAYMENT_SECRET:
        return settings.PAYMENT_SECRET.encode()
    return hmac.new(settings.SECRET_KEY.encode(), b"haicap-payment-sandbox", "sha256").digest()


def canonical(fields: Mapping[str, str]) -> bytes:
    return "&".join(f"{key}={fields[key]}" for key in sorted(fields)).encode()


def sign(fields: Mapping[str, str], key: bytes | None = None) -> str:
    return hmac.new(key or secret(), canonical(fields), hashlib.sha256).hexdigest()


def signed_callback(
    *, order_id: str, transaction_id: str, amount: int, status: str, at: float | None = None
) -> dict[str, str]:
    """The fields of a callback with their signature, as the gateway sends them."""
    fields = {
        "merchant_code": settings.PAYMENT_MERCHANT,
        "order_id": order_id,
        "transaction_id": transaction_id,
        "amount": str(amount),
        "status": status,
        "timestamp": str(int(at if at is not None else time.time())),
    }
    return {**fields, "signature": sign(fields)}


def verify_callback(posted: Mapping[str, str], *, now: float | None = None) -> Callback:
    """The callback if its signature is right and it is recent; Forbidden or Expired if not."""
    fields = {key: str(posted.get(key, "")) for key in CALLBACK_FIELDS}
    given = str(posted.get("signature", ""))
    if set(posted) - {*CALLBACK_FIELDS, "signature"} or any("\x00" in v for v in fields.values()):
        raise Invalid(_("The callback carries unknown fields."), code="bad_callback")
    if not hmac.compare_digest(given.encode(), sign(fields).encode()):
        raise Forbidden(_("The callback's signature is not valid."), code="bad_signature")
    if fields["merchant_code"] != settings.PAYMENT_MERCHANT:
        raise Forbidden(_("The callback is for another merchant."), code="bad_signature")
    try:
        sent = int(fields["timestamp"])
        amount = int(fields["amount"])
    except ValueError:
        raise Invalid(
            _("The callback's amount or time is not a number."), code="bad_callback"
        ) from None
    moment = time.time() if now is None else now
    if abs(moment - sent) > settings.PAYMENT_CALLBACK_MAX_AGE:
        raise Expired(_("The callback is too old to be accepted."))
    return Callback(fields["order_id"], fields["transaction_id"], amount, fields["status"])


def gateway() -> Gateway:
    """The configured gateway (HAICAP_PAYMENT_GATEWAY)."""
    name = settings.PAYMENT_GATEWAY
    path = "haicap.dossiers.sandbox.SandboxGateway" if name == "sandbox" else name
    made: Gateway = import_string(path)()
    return made
