"""Template context shared by every page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils.translation import get_language

from haicap.core.access import scope_of
from haicap.core.models import Role


def site(request: HttpRequest) -> dict[str, Any]:
    """The other language's address of this page, for the language switch."""
    current = get_language() or settings.LANGUAGE_CODE
    other_code, other_name = next(
        (code, name) for code, name in settings.LANGUAGES if code != current
    )
    other_url = translate_url(request.get_full_path(), other_code)
    scope = scope_of(getattr(request, "user", None))
    return {
        "other_language": {"code": other_code, "name": other_name, "url": other_url},
        "site_url": settings.SITE_URL,
        "is_officer": scope.is_staff,
        "can_receive": scope.has_role(Role.RECEIVER, Role.PROVINCE_ADMIN),
        "can_reorganise": scope.is_administrator,
        "oidc_name": settings.OIDC_PROVIDER_NAME if settings.OIDC_ISSUER else "",
    }
