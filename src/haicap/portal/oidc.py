"""Citizen sign-in with OpenID Connect: VNeID or a provincial identity provider.

The provider is found from its issuer's discovery document; authorisation-code flow with
state and nonce (Authlib). Off unless HAICAP_OIDC_ISSUER is set.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from authlib.integrations.django_client import OAuth
from django.conf import settings
from django.contrib.auth import login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from haicap.core.errors import DomainError
from haicap.portal.actions import do_sign_in_with_oidc


@cache
def _client() -> Any:
    oauth = OAuth()
    oauth.register(
        "haicap",
        client_id=settings.OIDC_CLIENT_ID,
        client_secret=settings.OIDC_CLIENT_SECRET,
        server_metadata_url=f"{str(settings.OIDC_ISSUER).rstrip('/')}/.well-known/openid-configuration",
        client_kwargs={"scope": "openid profile email phone"},
    )
    return oauth.create_client("haicap")


def start(request: HttpRequest) -> HttpResponse:
    if not settings.OIDC_ISSUER:
        raise Http404
    callback = request.build_absolute_uri(reverse("portal:oidc_callback"))
    response: HttpResponse = _client().authorize_redirect(request, callback)
    return response


def callback(request: HttpRequest) -> HttpResponse:
    if not settings.OIDC_ISSUER:
        raise Http404
    from django.contrib import messages

    try:
        token = _client().authorize_access_token(request)
    except Exception:
        messages.error(
            request,
            _("Signing in with %(name)s did not work; please try again.")
            % {"name": settings.OIDC_PROVIDER_NAME},
        )
        return redirect("login")
    claims = dict(token.get("userinfo") or _client().userinfo(token=token))
    try:
        user = do_sign_in_with_oidc(issuer=str(settings.OIDC_ISSUER), claims=claims)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("login")
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return redirect("portal:my_dossiers")
