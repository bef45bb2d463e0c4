"""The meetings pages, under /staff/meetings/ (Vietnamese) and /en/staff/meetings/."""

from django.urls import path

from haicap.meetings.views import board, join, meeting, minutes, points, schedule

app_name = "conferences"
urlpatterns = [
    path("", schedule.schedule, name="schedule"),
    path("new/", schedule.new_meeting, name="new"),
    path("points/", points.point_list, name="points"),
    path("points/<int:point_id>/", points.point_page, name="point"),
    path("conclusions/", minutes.conclusions, name="conclusions"),
    path("conclusions/<int:conclusion_id>/done/", minutes.conclusion_done, name="conclusion_done"),
    path("<int:meeting_id>/", meeting.meeting_page, name="meeting"),
    path("<int:meeting_id>/act/<str:action>/", meeting.act, name="act"),
    path("<int:meeting_id>/rehearsal/", meeting.rehearsal, name="rehearsal"),
    path("<int:meeting_id>/board/", board.board, name="board"),
    path("<int:meeting_id>/board/rows/", board.board_rows_fragment, name="board_rows"),
    path("<int:meeting_id>/attendance.<str:fmt>", board.attendance_file, name="attendance"),
    path("<int:meeting_id>/roll-call/", board.roll_call, name="roll_call_any"),
    path("<int:meeting_id>/speak/<int:request_id>/<str:status>/", board.speak, name="speak"),
    path("<int:meeting_id>/minutes/", minutes.minutes_page, name="minutes"),
    # The point's token rides in the query string or the body, never the path: access logs
    # print paths, and the token is the point's key to the meeting.
    path("<int:meeting_id>/join/", join.join_page, name="join"),
    path("<int:meeting_id>/join/test/", join.test_result, name="join_test_result"),
    path("<int:meeting_id>/join/speak/", join.ask_to_speak, name="join_speak"),
    path("<int:meeting_id>/join/roll-call/", join.roll_call, name="join_roll_call"),
]
