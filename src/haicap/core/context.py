"""Template context shared by every page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils.translation import get_language

from haicap.core import nav


def site(request: HttpRequest) -> dict[str, Any]:
    """The menu, and the other language's address of this page for the language switch."""
    current = get_language() or settings.LANGUAGE_CODE
    other_code, other_name = next(
        (code, name) for code, name in settings.LANGUAGES if code != current
    )
    other_url = translate_url(request.get_full_path(), other_code)
    return {
        "other_language": {"code": other_code, "name": other_name, "url": other_url},
        "site_url": settings.SITE_URL,
        # An error page rendered before the middleware ran (a bad Host header) has no user.
        "menu": nav.menu(request) if hasattr(request, "user") else [],
        "oidc_name": settings.OIDC_PROVIDER_NAME if settings.OIDC_ISSUER else "",
    }
