"""Filing a report, whichever the channel: the hotline console, the portal, Open311, the desk."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from haicap.core.actors import Actor
from haicap.core.calendar import calendar
from haicap.core.errors import Invalid
from haicap.dossiers.models import Dossier
from haicap.feedback import codes, photos
from haicap.feedback.actions.common import event, record
from haicap.feedback.models import MAX_DESCRIPTION, ApiApp, Category, Channel, Photo, Report
from haicap.feedback.routing import Place, handling_unit

PHONE = re.compile(r"^(\+84|0)[0-9]{8,10}$")
# A call is filed while or soon after it happens.
CALL_WINDOW = dt.timedelta(days=7)


@dataclass
class Intake:
    """What a channel collected; checked by ``do_file_report``."""

    channel: str
    category: Category
    place: Place
    description: str
    title: str = ""
    address: str = ""
    latitude: float | None = None
    longitude: float | None = None
    full_name: str = ""
    phone: str = ""
    email: str = ""
    user: User | None = None
    device_id: str = ""
    account_id: str = ""
    is_public: bool = False
    call_at: dt.datetime | None = None
    callback_phone: str = ""
    api_app: ApiApp | None = None
    client_key: str = ""
    dossier_code: str = ""
    media_url: str = ""
    photos: list[bytes] = field(default_factory=list)


def _text(value: str, limit: int, name: str) -> str:
    value = value.strip()
    if "\x00" in value:
        raise Invalid(_("The text contains a NUL character."), field=name)
    if len(value) > limit:
        raise Invalid(
            _("At most %(n)s characters, please.") % {"n": f"{limit:,}".replace(",", ".")},
            field=name,
        )
    return value


def normalise_phone(phone: str, name: str = "phone") -> str:
    phone = re.sub(r"[\s.\-()]", "", phone)
    if phone and not PHONE.match(phone):
        raise Invalid(_("Write a Vietnamese phone number, e.g. 0912345678."), field=name)
    return "0" + phone[3:] if phone.startswith("+84") else phone


def _check(intake: Intake) -> tuple[Intake, Dossier | None]:
    intake.description = _text(intake.description, MAX_DESCRIPTION, "description")
    if not intake.description:
        raise Invalid(_("Describe what you are reporting."), field="description")
    intake.title = _text(intake.title, 200, "title")
    intake.address = _text(intake.address, 300, "address_string")
    intake.full_name = _text(intake.full_name, 200, "first_name")
    intake.device_id = _text(intake.device_id, 100, "device_id")
    intake.account_id = _text(intake.account_id, 100, "account_id")
    intake.client_key = _text(intake.client_key, 100, "client_key")
    intake.media_url = _text(intake.media_url, 500, "media_url")
    if intake.media_url and not intake.media_url.startswith(("https://", "http://")):
        raise Invalid(_("media_url must be an http(s) address."), field="media_url")
    intake.phone = normalise_phone(intake.phone)
    intake.callback_phone = normalise_phone(intake.callback_phone, "callback_phone")
    intake.email = _text(intake.email, 254, "email")
    if intake.email:
        try:
            validate_email(intake.email)
        except ValidationError:
            raise Invalid(_("Enter a valid e-mail address."), field="email") from None
    if not intake.category.is_active:
        raise Invalid(_("This category is no longer offered."), field="service_code")
    if intake.channel == Channel.HOTLINE:
        if intake.call_at is None:
            raise Invalid(_("Give the time of the call."), field="call_at")
        now = timezone.now()
        if not now - CALL_WINDOW <= intake.call_at <= now + dt.timedelta(minutes=5):
            raise Invalid(_("The call time must be within the last 7 days."), field="call_at")
        if not intake.callback_phone:
            raise Invalid(_("Give a number to call back."), field="callback_phone")
    dossier = None
    code = _text(intake.dossier_code, 60, "dossier").upper()
    if intake.category.is_complaint:
        if not code:
            raise Invalid(
                _("A complaint about a procedure names its dossier code."), field="dossier"
            )
        dossier = Dossier.objects.filter(code=code).first()
        if dossier is None:
            raise Invalid(_("No dossier has this code."), field="dossier")
    if len(intake.photos) > photos.MAX_PHOTOS:
        raise Invalid(_("At most %(n)s photos.") % {"n": photos.MAX_PHOTOS}, field="media")
    return intake, dossier


def do_file_report(intake: Intake, *, actor: Actor) -> tuple[Report, bool]:
    """A new report (received, with its deadline); a retry with the same client key returns
    the first one. Notifies the citizen with the tracking code."""
    intake, dossier = _check(intake)
    cleaned = [photos.clean(raw) for raw in intake.photos]
    with transaction.atomic():
        if intake.client_key:
            earlier = Report.objects.filter(
                api_app=intake.api_app, client_key=intake.client_key
            ).first()
            if earlier is not None:
                return earlier, False
        now = timezone.now()
        cal = calendar()
        category = intake.category
        unit = handling_unit(intake.place, category)
        code = codes.new_code()
        while Report.objects.filter(code=code).exists():
            code = codes.new_code()
        report = Report.objects.create(
            code=code,
            secret=codes.new_secret(),
            token=codes.new_token(),
            channel=intake.channel,
            category=category,
            province=intake.place.province,
            unit=unit,
            located=intake.place.located,
            unit_confirmed=intake.place.confirmed,
            named_unit=intake.place.named_unit,
            address=intake.address,
            latitude=intake.latitude,
            longitude=intake.longitude,
            title=intake.title,
            description=intake.description,
            media_url=intake.media_url,
            dossier=dossier,
            full_name=intake.full_name,
            phone=intake.phone,
            email=intake.email,
            user=intake.user,
            device_id=intake.device_id,
            account_id=intake.account_id,
            is_public=intake.is_public,
            call_at=intake.call_at,
            callback_phone=intake.callback_phone,
            api_app=intake.api_app,
            client_key=intake.client_key,
            received_at=now,
            updated_at=now,
            due_at=cal.due_in_working_days(now, category.reply_days),
            mark_15_at=cal.due_in_working_days(now, 15),
        )
        Photo.objects.bulk_create(
            Photo(
                report=report,
                content_type=p.content_type,
                data=p.data,
                size=len(p.data),
                width=p.width,
                height=p.height,
            )
            for p in cleaned
        )
        named = intake.place.named_unit
        note = _("Received by %(channel)s.") % {"channel": report.get_channel_display()}
        if named is not None:
            note += " " + _("%(old)s no longer exists: sent to %(new)s.") % {
                "old": named.name,
                "new": intake.place.unit.name,
            }
        filed = event(
            report,
            "file",
            actor,
            note=note,
            to_unit=unit,
            data={"located": report.located, "channel": report.channel},
        )
        record(
            "file",
            report,
            actor,
            after={
                "channel": report.channel,
                "category": category.code,
                "unit": unit.code,
                "located": report.located,
            },
        )
        from haicap.feedback.tasks import enqueue_notification

        enqueue_notification(filed)
    return report, True
