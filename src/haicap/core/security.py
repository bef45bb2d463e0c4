"""Response headers every page and answer carries, and the API's guard against forged posts.

- ``Content-Security-Policy``: scripts, styles and connections from this site only (and the
  Janus server browsers join), no framing, forms posted here only;
- ``Cache-Control: no-store`` on every dynamic answer that did not choose its own caching:
  pages and API answers may carry personal data, and a shared computer keeps what it caches;
- the JSON API refuses an unsafe request whose body is not JSON (a ``text/plain`` form from
  another site can carry JSON) and, when it rides on a session cookie rather than a token,
  one without a valid CSRF token.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.translation import gettext as _

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
API_BODY_TYPES = ("application/json", "multipart/form-data")


def _origin(url: str | None) -> str:
    if not url:
        return ""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def content_security_policy(*, form_targets: tuple[str, ...] = ()) -> str:
    """The policy for the Janus and OpenID origins the settings name now (built once for each:
    a test's own Janus on its own port changes them while the server runs).

    ``form_targets``: other sites a page's form may lead to (a form's redirect counts too),
    for the one page that hands a citizen to another system."""
    targets = tuple(sorted(filter(None, map(_origin, form_targets))))
    return _policy(settings.JANUS_PUBLIC_URL, settings.JANUS_URL, settings.OIDC_ISSUER, targets)


@functools.lru_cache(maxsize=64)
def _policy(
    janus_public: str | None, janus: str | None, oidc: str | None, targets: tuple[str, ...] = ()
) -> str:
    connect = " ".join(filter(None, ["'self'", _origin(janus_public), _origin(janus)]))
    form_action = " ".join(filter(None, ["'self'", _origin(oidc), *targets]))
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data: blob:",
            "font-src 'self'",
            f"connect-src {connect}",
            "media-src 'self' blob:",
            "object-src 'none'",
            "base-uri 'self'",
            f"form-action {form_action}",
            "frame-ancestors 'none'",
        ]
    )


def _csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return JsonResponse(
        {
            "error": {
                "code": "csrf",
                "message": _(
                    "A request signed in by cookie needs the CSRF token (X-CSRFToken header); "
                    "programs use an API token instead."
                ),
            }
        },
        status=403,
        json_dumps_params={"ensure_ascii": False},
    )


class _ApiCsrf(CsrfViewMiddleware):
    def _reject(self, request: HttpRequest, reason: str) -> HttpResponse:
        return _csrf_failure(request, reason)


def _noop(request: HttpRequest) -> HttpResponse:
    return HttpResponse()


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.csrf = _ApiCsrf(_noop)

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        refused = self._guard_api(request) if request.path.startswith("/api/") else None
        response = refused or self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", content_security_policy())
        if "Cache-Control" not in response.headers:
            response.headers["Cache-Control"] = "no-store"
        return response

    def _guard_api(self, request: HttpRequest) -> HttpResponse | None:
        if request.method not in UNSAFE_METHODS:
            return None
        content_type = request.content_type or ""
        has_body = bool(request.headers.get("Content-Length", "0") not in ("", "0"))
        if has_body and content_type not in API_BODY_TYPES:
            return JsonResponse(
                {
                    "error": {
                        "code": "unsupported_media_type",
                        "message": _("Send the body as application/json."),
                        "field": "Content-Type",
                    }
                },
                status=415,
                json_dumps_params={"ensure_ascii": False},
            )
        signed_by_cookie = settings.SESSION_COOKIE_NAME in request.COOKIES
        if signed_by_cookie and "Authorization" not in request.headers:
            return self.csrf.process_view(request, _noop, (), {})
        return None
