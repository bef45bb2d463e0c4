"""Sign-in under /accounts/ (before Django's own auth pages, which serve the rest)."""

from django.urls import path

from haicap.staff.views import SignInView

urlpatterns = [path("login/", SignInView.as_view(), name="login")]
