"""/open311/v2/: each endpoint with its format as the extension (.json or .xml, XML default)."""

from django.urls import re_path

from haicap.feedback.open311 import views

app_name = "open311"

FMT = r"(?:\.(?P<fmt>json|xml))?$"

urlpatterns = [
    re_path(r"^$", views.discovery, name="discovery_root"),
    re_path(r"^discovery" + FMT, views.discovery, name="discovery"),
    re_path(r"^services" + FMT, views.services, name="services"),
    re_path(r"^services/(?P<code>[\w-]{1,40})" + FMT, views.service_definition, name="service"),
    re_path(r"^requests" + FMT, views.requests, name="requests"),
    re_path(r"^requests/(?P<code>[\w-]{1,20})" + FMT, views.request_detail, name="request"),
    re_path(r"^tokens/(?P<token>[\w-]{1,40})" + FMT, views.token, name="token"),
    re_path(r"^servicerequestupdates" + FMT, views.updates, name="updates"),
]
