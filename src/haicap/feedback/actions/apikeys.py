"""Apps registered to file reports through Open311, one api_key each."""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from haicap.core import audit
from haicap.core.actors import Actor
from haicap.core.errors import Conflict, Invalid, NotFound
from haicap.feedback.models import ApiApp


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def do_create_api_app(name: str, *, actor: Actor) -> tuple[ApiApp, str]:
    """The app and its key, shown once (only the hash is kept)."""
    name = name.strip()
    if not name or len(name) > 100 or "\x00" in name:
        raise Invalid(_("Give the app a name (at most 100 characters)."), field="name")
    if ApiApp.objects.filter(name=name).exists():
        raise Conflict(_("An app with this name is already registered."), field="name")
    key = "o311_" + secrets.token_urlsafe(30)
    app = ApiApp.objects.create(name=name, prefix=key[:12], key_hash=key_hash(key))
    audit.record(
        "feedback.apikey_create",
        actor=actor,
        subject_type="feedback_app",
        subject_id=app.pk,
        after={"name": name, "prefix": app.prefix},
    )
    return app, key


@transaction.atomic
def do_revoke_api_app(name: str, *, actor: Actor) -> ApiApp:
    app = ApiApp.objects.select_for_update().filter(name=name, revoked_at__isnull=True).first()
    if app is None:
        raise NotFound(_("No active app has this name."))
    app.revoked_at = timezone.now()
    app.save(update_fields=["revoked_at"])
    audit.record(
        "feedback.apikey_revoke",
        actor=actor,
        subject_type="feedback_app",
        subject_id=app.pk,
    )
    return app


def app_for_key(key: str) -> ApiApp | None:
    if not key or len(key) > 200:
        return None
    return ApiApp.objects.filter(key_hash=key_hash(key), revoked_at__isnull=True).first()
