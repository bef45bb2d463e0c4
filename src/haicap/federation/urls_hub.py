from __future__ import annotations

from django.urls import path

from haicap.federation import views_hub

app_name = "national"
urlpatterns = [
    path("lookup/", views_hub.lookup_page, name="lookup"),
    path("procedures/", views_hub.catalogue_page, name="catalogue"),
    path("procedures/<str:code>/file/", views_hub.file_online, name="file"),
    path("monitor/", views_hub.monitor_page, name="monitor"),
    path("reconciliation/", views_hub.reconciliation_page, name="reconciliation"),
]
