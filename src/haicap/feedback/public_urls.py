"""Public feedback pages (namespace ``feedback_public``)."""

from django.urls import path

from haicap.feedback.views import filing, public

app_name = "feedback_public"

urlpatterns = [
    path("", public.public_list, name="list"),
    path("new/", filing.portal_new, name="new"),
    path("track/", public.track, name="track"),
    path("track/<str:code>/<slug:action>/", public.citizen_step, name="step"),
    path("r/<str:code>/", public.public_report, name="report"),
    path("photo/<int:photo_id>/", public.photo, name="photo"),
]
