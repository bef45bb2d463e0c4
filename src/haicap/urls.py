from __future__ import annotations

import sys

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.urls import include, path, re_path
from django.views import defaults

from haicap.api import api
from haicap.core import apps_registry, outage
from haicap.core import views as core_views
from haicap.portal.views import pages as portal_pages

urlpatterns = [
    path("api/v1/", api.urls),
    re_path(r"^api/", core_views.api_not_found),
    path("-/bare", core_views.bare, name="bare"),
    path("-/health", core_views.health, name="health"),
    path("", include("haicap.meetings.urls")),
]

# Pages: Vietnamese at the root, English under /en/; each app declares its own (page_urls).
urlpatterns += i18n_patterns(
    path("", portal_pages.home, name="home"),
    *[path(prefix, include(module)) for prefix, module in apps_registry.page_urls()],
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)


def handler404(request: HttpRequest, exception: Exception) -> HttpResponse:
    if request.path.startswith("/api/"):
        return core_views.api_not_found(request, exception)
    return defaults.page_not_found(request, exception)


def handler500(request: HttpRequest) -> HttpResponse:
    # A database outage is not a bug: answer 503 with Retry-After (core/outage.py).
    if outage.outage_seen(sys.exc_info()[1]):
        return outage.outage_response(request)
    return defaults.server_error(request)
