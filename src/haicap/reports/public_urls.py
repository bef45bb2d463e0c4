"""The public service index (no namespace: ``public_index``)."""

from django.urls import path

from haicap.reports import views

urlpatterns = [path("", views.public_index, name="public_index")]
