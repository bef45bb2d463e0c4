"""Bearer tokens for the API (`haicap token create USERNAME`)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from haicap.staff.actions import token_hash
from haicap.staff.models import ApiToken


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        record = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=token_hash(token), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if record is None:
            return None
        now = timezone.now()
        # Note use at most once a minute: a token used 100 times a second costs no writes.
        if record.last_used_at is None or now - record.last_used_at > timedelta(minutes=1):
            ApiToken.objects.filter(pk=record.pk).update(last_used_at=now)
        request.user = record.user
        return record.user
