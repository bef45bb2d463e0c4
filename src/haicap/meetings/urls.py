from django.urls import path

from haicap.meetings import events
from haicap.meetings.views import join_test

app_name = "meetings"
# Outside the language prefixes: Janus posts to one fixed address.
urlpatterns = [
    path("-/janus/events", events.receive, name="janus_events"),
    path("-/janus/join-test", join_test.join_test, name="join_test"),
]
