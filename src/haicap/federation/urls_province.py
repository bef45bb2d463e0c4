from __future__ import annotations

from django.urls import path

from haicap.federation import views_province

app_name = "federation"
urlpatterns = [
    path("", views_province.sync_status, name="sync"),
    path("retry/", views_province.retry, name="retry"),
    path("reconciliation/<str:day>/resend/", views_province.resend, name="resend"),
]
