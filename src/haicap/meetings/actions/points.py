"""Changes to connection points: their room, equipment checklist and technical contact, and
hubs added beside a province's own."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from haicap.core import audit
from haicap.core.actors import Actor
from haicap.core.errors import Conflict, Forbidden, Invalid
from haicap.meetings.access import can_run_province
from haicap.meetings.actions.common import clean_text, need_point
from haicap.meetings.models import ConnectionPoint, PointKind
from haicap.units.models import AdminUnit, Tier

MAX_UPLINK = Decimal("10000")


@dataclass
class PointDetails:
    """What a point's officers keep up to date (page form or API body)."""

    room_name: str = ""
    has_camera: bool = False
    has_microphone: bool = False
    has_screen: bool = False
    has_speakers: bool = False
    uplink_mbps: Decimal | float | str | None = None
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""


def _clean(details: PointDetails) -> dict[str, object]:
    uplink: Decimal | None = None
    if details.uplink_mbps not in (None, ""):
        try:
            uplink = Decimal(str(details.uplink_mbps)).quantize(Decimal("0.1"))
        except InvalidOperation:
            raise Invalid(_("The uplink is a number of Mbit/s."), field="uplink_mbps") from None
        if not Decimal(0) <= uplink <= MAX_UPLINK:
            raise Invalid(_("The uplink is 0 to 10,000 Mbit/s."), field="uplink_mbps")
    email = clean_text(details.contact_email, "contact_email", limit=254)
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise Invalid(_("Enter a valid e-mail address."), field="contact_email") from None
    phone = clean_text(details.contact_phone, "contact_phone", limit=20)
    if phone and not all(c in "0123456789+ .-()" for c in phone):
        raise Invalid(_("A phone number holds digits only."), field="contact_phone")
    return {
        "room_name": clean_text(details.room_name, "room_name", limit=200),
        "has_camera": bool(details.has_camera),
        "has_microphone": bool(details.has_microphone),
        "has_screen": bool(details.has_screen),
        "has_speakers": bool(details.has_speakers),
        "uplink_mbps": uplink,
        "contact_name": clean_text(details.contact_name, "contact_name", limit=100),
        "contact_phone": phone,
        "contact_email": email,
    }


def do_update_point(
    point: ConnectionPoint, details: PointDetails, *, actor: Actor, version: int | None = None
) -> ConnectionPoint:
    need_point(actor, point)
    values = _clean(details)
    with transaction.atomic():
        point = ConnectionPoint.objects.select_for_update().get(pk=point.pk)
        if version is not None and version != point.version:
            raise Conflict(
                _("Someone changed this point meanwhile; reload it and try again."),
                code="stale_version",
            )
        if not point.is_active:
            raise Conflict(_("This point was retired by a reorganisation."), code="retired")
        before = {name: str(getattr(point, name)) for name in values}
        for name, value in values.items():
            setattr(point, name, value)
        point.version += 1
        point.save(update_fields=[*values, "version"])
        audit.record(
            "meetings.point_update",
            actor=actor,
            subject_type="connection_point",
            subject_id=point.pk,
            unit_id=point.unit_id,
            before=before,
            # The contact's phone and e-mail are personal data: the audit says they changed.
            after={
                name: ("…" if name in ("contact_phone", "contact_email") else str(value))
                for name, value in values.items()
            },
        )
    return point


def do_add_hub(
    unit: AdminUnit, name: str, *, actor: Actor, details: PointDetails | None = None
) -> ConnectionPoint:
    """Another hub of a province (e.g. Hải Dương's hall in the new Hải Phòng)."""
    province_id = unit.province_id or unit.pk
    if not can_run_province(actor, province_id):
        raise Forbidden(_("Only the province's organisers add hubs."))
    if unit.tier == Tier.DISTRICT:
        raise Invalid(_("A hub belongs to a province or a commune."), field="unit")
    name = clean_text(name, "name", limit=200, required=True)
    values = _clean(details or PointDetails())
    with transaction.atomic():
        point = ConnectionPoint.objects.create(
            unit=unit, province_id=province_id, kind=PointKind.HUB, name=name, **values
        )
        audit.record(
            "meetings.hub_add",
            actor=actor,
            subject_type="connection_point",
            subject_id=point.pk,
            unit_id=unit.pk,
            after={"name": name},
        )
    return point
