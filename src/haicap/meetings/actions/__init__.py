"""Every change to meetings and connection points (docs/design.md#actions)."""

from haicap.meetings.actions.live import (
    TestResult,
    do_ask_to_speak,
    do_handle_speak,
    do_record_test,
    do_roll_call,
)
from haicap.meetings.actions.meetings import (
    AgendaSpec,
    MeetingSpec,
    do_add_agenda_item,
    do_cancel_meeting,
    do_create_meeting,
    do_create_rehearsal,
    do_invite_points,
    do_send_invitations,
    point_of,
)
from haicap.meetings.actions.minutes import (
    do_add_conclusion,
    do_complete_conclusion,
    do_draft_invitation_letter,
    do_issue_minutes,
    do_save_minutes,
)
from haicap.meetings.actions.points import PointDetails, do_add_hub, do_update_point
from haicap.meetings.actions.rooms import (
    do_close_meeting,
    do_close_test,
    do_open_meeting,
    do_open_test,
)

__all__ = [
    "AgendaSpec",
    "MeetingSpec",
    "PointDetails",
    "TestResult",
    "do_add_agenda_item",
    "do_add_conclusion",
    "do_add_hub",
    "do_ask_to_speak",
    "do_cancel_meeting",
    "do_close_meeting",
    "do_close_test",
    "do_complete_conclusion",
    "do_create_meeting",
    "do_create_rehearsal",
    "do_draft_invitation_letter",
    "do_handle_speak",
    "do_invite_points",
    "do_issue_minutes",
    "do_open_meeting",
    "do_open_test",
    "do_record_test",
    "do_roll_call",
    "do_save_minutes",
    "do_send_invitations",
    "do_update_point",
    "point_of",
]
