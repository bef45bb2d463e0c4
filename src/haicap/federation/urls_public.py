from __future__ import annotations

from django.urls import path

from haicap.federation import views_province

app_name = "federation_public"
urlpatterns = [
    path("file/<str:code>/", views_province.file_from_national, name="file"),
]
