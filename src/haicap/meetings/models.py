"""Online conferences: connection points tied to units, meetings with their agenda and invited
points, each point's join token, attendance from Janus's events, roll-call, requests to speak,
connection tests, minutes and the conclusions assigned to units."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateTimeRangeField, RangeOperators
from django.db import models
from django.db.models import Func, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haicap.units.models import AdminUnit


class PointKind(models.TextChoices):
    PROVINCIAL_HUB = "provincial_hub", _("Provincial hub")
    HUB = "hub", _("Other hub")
    COMMUNE = "commune", _("Commune point")


class ConnectionPoint(models.Model):
    """A connection point (điểm cầu): a room of a unit equipped to join online conferences."""

    unit = models.ForeignKey(
        AdminUnit, models.PROTECT, related_name="connection_points", verbose_name=_("unit")
    )
    # The province of the unit (itself for a province): one filter for a whole province.
    province = models.ForeignKey(AdminUnit, models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=16, choices=PointKind.choices)
    name = models.CharField(_("name"), max_length=200)
    room_name = models.CharField(_("room"), max_length=200, blank=True)
    has_camera = models.BooleanField(_("camera"), default=False)
    has_microphone = models.BooleanField(_("microphone"), default=False)
    has_screen = models.BooleanField(_("screen"), default=False)
    has_speakers = models.BooleanField(_("speakers"), default=False)
    uplink_mbps = models.DecimalField(
        _("uplink (Mbit/s)"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    contact_name = models.CharField(_("technical contact"), max_length=100, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    retired_on = models.DateField(_("retired on"), null=True, blank=True)
    # Where a retired point's meetings go now (set by a reorganisation).
    successor = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="predecessors"
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("connection point")
        verbose_name_plural = _("connection points")
        constraints = [
            # One active commune point per unit and one provincial hub per province.
            models.UniqueConstraint(
                fields=["unit"],
                condition=Q(is_active=True, kind__in=["commune", "provincial_hub"]),
                name="point_one_per_unit",
            ),
        ]
        indexes = [models.Index(fields=["province", "kind"], name="point_province_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def checklist_complete(self) -> bool:
        return bool(
            self.has_camera
            and self.has_microphone
            and self.has_screen
            and self.has_speakers
            and self.uplink_mbps
        )


class MeetingKind(models.TextChoices):
    CONFERENCE = "conference", _("Conference")
    TRAINING = "training", _("Training")
    FIRST_SESSION = "first_session", _("First session of a new People's Council")
    PARTY = "party", _("Party committee meeting")
    REHEARSAL = "rehearsal", _("Rehearsal")


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    OPEN = "open", _("In progress")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


class TimeRange(Func):
    function = "TSTZRANGE"
    output_field = DateTimeRangeField()


class Meeting(models.Model):
    kind = models.CharField(_("kind"), max_length=16, choices=MeetingKind.choices)
    title = models.CharField(_("title"), max_length=300)
    host = models.ForeignKey(
        ConnectionPoint, models.PROTECT, related_name="hosted", verbose_name=_("host point")
    )
    province = models.ForeignKey(AdminUnit, models.PROTECT, related_name="+")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    status = models.CharField(
        _("status"), max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED
    )
    chair = models.CharField(_("chair"), max_length=100, blank=True)
    secretary = models.CharField(_("secretary"), max_length=100, blank=True)
    # The meeting a rehearsal rehearses.
    rehearsal_of = models.ForeignKey(
        "self", models.CASCADE, null=True, blank=True, related_name="rehearsals"
    )
    # The Janus rooms: the meeting's, and the one for connection tests before it.
    room = models.BigIntegerField(null=True, blank=True, unique=True)
    test_room = models.BigIntegerField(null=True, blank=True, unique=True)
    room_secret = models.CharField(max_length=64, blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    minutes_updated_at = models.DateTimeField(null=True, blank=True)
    invitation_document = models.ForeignKey(
        "documents.Document", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    minutes_document = models.ForeignKey(
        "documents.Document", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="meeting_ends_after_start"
            ),
            # A host point holds one meeting at a time (cancelled ones aside).
            ExclusionConstraint(
                name="meeting_host_no_overlap",
                expressions=[
                    ("host", RangeOperators.EQUAL),
                    (TimeRange("starts_at", "ends_at"), RangeOperators.OVERLAPS),
                ],
                condition=~Q(status="cancelled"),
            ),
        ]
        indexes = [models.Index(fields=["province", "starts_at"], name="meeting_province_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_live(self) -> bool:
        return self.status == MeetingStatus.OPEN


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, models.CASCADE, related_name="agenda")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(_("item"), max_length=300)
    presenter = models.CharField(_("presenter"), max_length=100, blank=True)
    minutes = models.PositiveSmallIntegerField(_("minutes planned"), default=15)
    documents = models.ManyToManyField("documents.Document", blank=True, related_name="+")

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class Invitation(models.Model):
    """A point invited to a meeting: its join token, connection test, live state, roll-call."""

    meeting = models.ForeignKey(Meeting, models.CASCADE, related_name="invitations")
    point = models.ForeignKey(ConnectionPoint, models.PROTECT, related_name="invitations")
    # The VideoRoom "allowed" token of this point in this meeting's rooms: a secret.
    token = models.CharField(max_length=64, unique=True)
    notified_at = models.DateTimeField(null=True, blank=True)
    # Connection test (measured by the point's browser with getStats()).
    tested_at = models.DateTimeField(null=True, blank=True)
    test_rtt_ms = models.FloatField(null=True, blank=True)
    test_bitrate_kbps = models.FloatField(null=True, blank=True)
    test_loss_percent = models.FloatField(null=True, blank=True)
    test_camera = models.BooleanField(null=True, blank=True)
    test_microphone = models.BooleanField(null=True, blank=True)
    test_ready = models.BooleanField(null=True, blank=True)
    # Live state, kept by Janus's events (attendance.py).
    connected = models.BooleanField(default=False)
    audio = models.BooleanField(default=False)
    video = models.BooleanField(default=False)
    bitrate_kbps = models.FloatField(null=True, blank=True)
    last_seen = models.DateTimeField(null=True, blank=True)
    # Roll-call (điểm danh).
    present = models.BooleanField(null=True, blank=True)
    delegates = models.PositiveSmallIntegerField(null=True, blank=True)
    delegate_names = models.TextField(blank=True)
    called_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "point"], name="invitation_unique")
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id}: {self.point_id}"

    @property
    def readiness(self) -> str:
        if self.test_ready is None:
            return "untested"
        return "ready" if self.test_ready else "not_ready"


class Attendance(models.Model):
    """One stay of a point in a room, from Janus's join to its leave."""

    invitation = models.ForeignKey(Invitation, models.CASCADE, related_name="attendances")
    is_test = models.BooleanField(default=False)
    room = models.BigIntegerField()
    participant = models.CharField(max_length=32)
    connection = models.CharField(max_length=32, blank=True)
    joined_at = models.DateTimeField()
    left_at = models.DateTimeField(null=True, blank=True)
    leave_reason = models.CharField(max_length=20, blank=True)
    audio = models.BooleanField(default=False)
    video = models.BooleanField(default=False)
    audio_kbps = models.FloatField(null=True, blank=True)
    video_kbps = models.FloatField(null=True, blank=True)
    rtt_ms = models.FloatField(null=True, blank=True)
    lost = models.PositiveIntegerField(null=True, blank=True)
    last_seen = models.DateTimeField()

    class Meta:
        ordering = ["joined_at", "id"]
        indexes = [
            models.Index(
                fields=["connection"], condition=Q(left_at__isnull=True), name="attendance_open_idx"
            ),
            models.Index(fields=["room", "participant"], name="attendance_room_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.invitation_id} {self.joined_at:%H:%M}"

    @property
    def duration(self) -> dt.timedelta | None:
        return (self.left_at - self.joined_at) if self.left_at else None


class SpeakStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    GRANTED = "granted", _("Speaking")
    DONE = "done", _("Done")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class SpeakRequest(models.Model):
    invitation = models.ForeignKey(Invitation, models.CASCADE, related_name="speak_requests")
    speaker = models.CharField(_("speaker"), max_length=100)
    topic = models.CharField(_("topic"), max_length=300, blank=True)
    status = models.CharField(max_length=10, choices=SpeakStatus.choices, default="waiting")
    asked_at = models.DateTimeField(default=timezone.now)
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["asked_at", "id"]
        constraints = [
            # A point waits with one request at a time (a retried click makes no second one).
            models.UniqueConstraint(
                fields=["invitation"], condition=Q(status="waiting"), name="speak_one_waiting"
            )
        ]

    def __str__(self) -> str:
        return self.speaker


class ConclusionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")


class Conclusion(models.Model):
    """A conclusion of a meeting assigned to a unit, due in working days."""

    meeting = models.ForeignKey(Meeting, models.CASCADE, related_name="conclusions")
    unit = models.ForeignKey(AdminUnit, models.PROTECT, related_name="+", verbose_name=_("unit"))
    text = models.TextField(_("conclusion"))
    working_days = models.PositiveSmallIntegerField(_("working days"))
    due_at = models.DateTimeField(_("due"))
    status = models.CharField(max_length=6, choices=ConclusionStatus.choices, default="open")
    done_at = models.DateTimeField(null=True, blank=True)
    done_note = models.CharField(_("report"), max_length=1000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_at", "id"]
        indexes = [
            models.Index(fields=["unit", "status"], name="conclusion_unit_idx"),
        ]

    def __str__(self) -> str:
        return self.text[:60]

    def is_overdue(self, at: dt.datetime | None = None) -> bool:
        return self.status == ConclusionStatus.OPEN and self.due_at < (at or timezone.now())
