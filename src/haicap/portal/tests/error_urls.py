"""The site's URLs plus pages that fail on purpose, for the error page tests only."""

from django.conf.urls.i18n import i18n_patterns
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import path

from haicap.urls import handler404
from haicap.urls import urlpatterns as site

__all__ = ["handler404", "urlpatterns"]


def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a fault with a secret detail: /srv/haicap/settings.py line 42")


def forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied("internal reason")


def bad(request: HttpRequest) -> HttpResponse:
    raise BadRequest("internal reason")


urlpatterns = [
    *i18n_patterns(
        path("-test/500/", broken),
        path("-test/403/", forbidden),
        path("-test/400/", bad),
        prefix_default_language=False,
    ),
    *site,
]
