"""Meetings, points and conclusions as JSON (the API) and as rows (exports, the board)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from haicap.meetings.models import (
    Attendance,
    Conclusion,
    ConnectionPoint,
    Invitation,
    Meeting,
)

# A connected point not heard from for this long is shown as silent on the board.
SILENT_AFTER = dt.timedelta(seconds=20)


def point_json(point: ConnectionPoint) -> dict[str, Any]:
    return {
        "id": point.pk,
        "name": point.name,
        "kind": point.kind,
        "unit": {"code": point.unit.code, "name": point.unit.name},
        "province": point.province.code,
        "room": point.room_name,
        "equipment": {
            "camera": point.has_camera,
            "microphone": point.has_microphone,
            "screen": point.has_screen,
            "speakers": point.has_speakers,
            "uplink_mbps": float(point.uplink_mbps) if point.uplink_mbps is not None else None,
        },
        "contact": {"name": point.contact_name},
        "active": point.is_active,
        "successor": point.successor_id,
        "version": point.version,
    }


def meeting_json(meeting: Meeting, *, points: int | None = None) -> dict[str, Any]:
    return {
        "id": meeting.pk,
        "kind": meeting.kind,
        "title": meeting.title,
        "status": meeting.status,
        "host": {"id": meeting.host_id, "name": meeting.host.name},
        "province": meeting.province.code,
        "starts_at": meeting.starts_at,
        "ends_at": meeting.ends_at,
        "chair": meeting.chair,
        "secretary": meeting.secretary,
        "rehearsal_of": meeting.rehearsal_of_id,
        "points": points,
        "invitation_document": meeting.invitation_document_id,
        "minutes_document": meeting.minutes_document_id,
        "version": meeting.version,
        "agenda": [
            {
                "position": item.position,
                "title": item.title,
                "presenter": item.presenter,
                "minutes": item.minutes,
                "documents": [d.pk for d in item.documents.all()],
            }
            for item in meeting.agenda.all()
        ],
    }


def board_rows(meeting: Meeting) -> QuerySet[Invitation]:
    """The invited points with their stays (meeting room and tests), for the board and API."""
    return (
        meeting.invitations.select_related("point", "point__unit", "point__successor")
        .prefetch_related(
            Prefetch("attendances", queryset=Attendance.objects.order_by("joined_at", "id"))
        )
        .order_by("-point__kind", "point__name", "pk")
    )


def state(invitation: Invitation, now: dt.datetime | None = None) -> str:
    if not invitation.connected:
        return "absent"
    now = now or timezone.now()
    if invitation.last_seen and now - invitation.last_seen > SILENT_AFTER:
        return "silent"
    return "connected"


def invitation_json(invitation: Invitation, now: dt.datetime) -> dict[str, Any]:
    stays = [a for a in invitation.attendances.all() if not a.is_test]
    return {
        "point": {
            "id": invitation.point_id,
            "name": invitation.point.name,
            "unit": invitation.point.unit.code,
            "active": invitation.point.is_active,
        },
        "state": state(invitation, now),
        "connected": invitation.connected,
        "audio": invitation.audio,
        "video": invitation.video,
        "bitrate_kbps": invitation.bitrate_kbps,
        "last_seen": invitation.last_seen,
        "connection_test": {
            "readiness": invitation.readiness,
            "tested_at": invitation.tested_at,
            "rtt_ms": invitation.test_rtt_ms,
            "bitrate_kbps": invitation.test_bitrate_kbps,
            "loss_percent": invitation.test_loss_percent,
            "camera": invitation.test_camera,
            "microphone": invitation.test_microphone,
        },
        "roll_call": {
            "present": invitation.present,
            "delegates": invitation.delegates,
            "names": [n for n in invitation.delegate_names.splitlines() if n],
            "at": invitation.called_at,
        },
        "first_joined_at": stays[0].joined_at if stays else None,
        "last_left_at": stays[-1].left_at if stays and stays[-1].left_at else None,
        "stays": [{"joined_at": a.joined_at, "left_at": a.left_at} for a in stays],
    }


def conclusion_json(conclusion: Conclusion, now: dt.datetime) -> dict[str, Any]:
    return {
        "id": conclusion.pk,
        "meeting": conclusion.meeting_id,
        "unit": {"code": conclusion.unit.code, "name": conclusion.unit.name},
        "text": conclusion.text,
        "working_days": conclusion.working_days,
        "due_at": conclusion.due_at,
        "status": conclusion.status,
        "overdue": conclusion.is_overdue(now),
        "done_at": conclusion.done_at,
        "report": conclusion.done_note,
    }


ATTENDANCE_HEADER = [
    "Điểm cầu",
    "Mã đơn vị",
    "Vào lúc",
    "Rời lúc",
    "Số phút",
    "Lý do rời",
    "Có mặt (điểm danh)",
    "Số đại biểu",
    "Đại biểu",
]


def attendance_rows(meeting: Meeting) -> list[list[Any]]:
    """One row per stay in the meeting's room (a point never joined: one row without times)."""
    from haicap.core.calendar import ZONE

    def local(moment: dt.datetime | None) -> str:
        return moment.astimezone(ZONE).strftime("%d/%m/%Y %H:%M:%S") if moment else ""

    rows: list[list[Any]] = []
    for invitation in board_rows(meeting):
        point = invitation.point
        called = ["có" if invitation.present else ("không" if invitation.present is False else "")]
        tail = [
            *called,
            invitation.delegates or "",
            "; ".join(invitation.delegate_names.splitlines()),
        ]
        stays = [a for a in invitation.attendances.all() if not a.is_test]
        if not stays:
            rows.append([point.name, point.unit.code, "", "", "", "", *tail])
        for stay in stays:
            minutes = round(stay.duration.total_seconds() / 60, 1) if stay.duration else ""
            rows.append(
                [
                    point.name,
                    point.unit.code,
                    local(stay.joined_at),
                    local(stay.left_at),
                    minutes,
                    stay.leave_reason,
                    *tail,
                ]
            )
    return rows
