"""Citizen feedback (docs/feedback.md): categories (Open311 services), reports (Open311 service
requests) with their history and photos, and the apps registered to file through Open311."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haicap.units.models import AdminUnit

# Working days a category's reports must be answered in, unless it says otherwise (Decision 766).
DEFAULT_REPLY_DAYS = 15
MAX_DESCRIPTION = 4000


class HandlerTier(models.TextChoices):
    COMMUNE = "commune", _("Commune People's Committee")
    PROVINCE = "province", _("Provincial agency")


class AgencyKind(models.TextChoices):
    COMMITTEE = "committee", _("People's Committee")
    ENVIRONMENT = "environment", _("Environment and urban services")
    TRANSPORT = "transport", _("Roads and lighting")
    POLICE = "police", _("Police")
    CONSTRUCTION = "construction", _("Land and construction")
    INSPECTION = "inspection", _("Inspectorate")
    SERVICE_CENTRE = "service_centre", _("Public administrative service centre")


class Category(models.Model):
    """What a report is about (an Open311 service), who handles it and how fast.

    Rows without a province are the national list; a province's own row with the same code
    replaces the national one there (and ``is_active`` False withdraws it).
    """

    province = models.ForeignKey(
        AdminUnit,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("province"),
    )
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    description = models.CharField(_("description"), max_length=500, blank=True)
    group = models.CharField(_("group"), max_length=100, blank=True)
    handler_tier = models.CharField(
        _("handled at"), max_length=10, choices=HandlerTier.choices, default=HandlerTier.COMMUNE
    )
    agency_kind = models.CharField(
        _("agency"), max_length=20, choices=AgencyKind.choices, default=AgencyKind.COMMITTEE
    )
    reply_days = models.PositiveSmallIntegerField(
        _("reply deadline (working days)"), default=DEFAULT_REPLY_DAYS
    )
    # A complaint about an administrative procedure names the dossier it is about.
    is_complaint = models.BooleanField(_("complaint about a procedure"), default=False)
    order = models.PositiveSmallIntegerField(default=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("feedback category")
        verbose_name_plural = _("feedback categories")
        ordering = ["order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=Q(province__isnull=True), name="category_code_national"
            ),
            models.UniqueConstraint(fields=["province", "code"], name="category_code_province"),
            models.CheckConstraint(
                condition=Q(reply_days__gte=1, reply_days__lte=90), name="category_reply_days"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Channel(models.TextChoices):
    HOTLINE = "hotline", _("Hotline")
    PORTAL = "portal", _("Portal")
    APP = "app", _("App (Open311)")
    DESK = "desk", _("Reception desk")


class Located(models.TextChoices):
    """How the report's commune was found."""

    REGISTRY = "registry", _("Chosen from the registry")
    ADDRESS_OLD = "address_old", _("Old address converted")
    ADDRESS_NEW = "address_new", _("Address")
    COORDINATES = "coordinates", _("Nearest commune to the coordinates")
    SUCCESSOR = "successor", _("Abolished unit, sent to its successor")


class Status(models.TextChoices):
    RECEIVED = "received", _("Received")
    ASSIGNED = "assigned", _("Assigned to a unit")
    IN_PROGRESS = "in_progress", _("In progress")
    WAITING = "waiting", _("Waiting for the citizen")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")
    MERGED = "merged", _("Merged into another report")


OPEN = (Status.RECEIVED, Status.ASSIGNED, Status.IN_PROGRESS, Status.WAITING)
DONE = (Status.ANSWERED, Status.CLOSED, Status.MERGED)


class Rating(models.TextChoices):
    VERY_SATISFIED = "very_satisfied", _("Very satisfied")
    SATISFIED = "satisfied", _("Satisfied")
    NOT_SATISFIED = "not_satisfied", _("Not satisfied")


class ApiApp(models.Model):
    """An app registered to file reports through Open311; only its key's SHA-256 is kept."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    prefix = models.CharField(max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Open311 app")
        verbose_name_plural = _("Open311 apps")

    def __str__(self) -> str:
        return self.name


class Report(models.Model):
    """A citizen's report or recommendation, however it came (Open311 service request)."""

    code = models.CharField(_("tracking code"), max_length=20, unique=True)
    # Known to the citizen only: with the code it lets them follow, reopen and rate.
    secret = models.CharField(max_length=20)
    # Open311 tokens/{id}: the client's handle until the request has its id.
    token = models.CharField(max_length=40, unique=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    category = models.ForeignKey(
        Category, models.PROTECT, related_name="reports", verbose_name=_("category")
    )
    province = models.ForeignKey(
        AdminUnit, models.PROTECT, related_name="+", verbose_name=_("province")
    )
    # The unit handling it: a commune in force, or the province.
    unit = models.ForeignKey(
        AdminUnit, models.PROTECT, related_name="feedback_reports", verbose_name=_("unit")
    )
    located = models.CharField(_("located by"), max_length=12, choices=Located.choices)
    # A location from coordinates is a suggestion until an officer confirms the unit.
    unit_confirmed = models.BooleanField(default=True)
    # What the citizen named, kept as written (an abolished unit, an old address).
    named_unit = models.ForeignKey(
        AdminUnit, models.PROTECT, null=True, blank=True, related_name="+"
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    title = models.CharField(_("title"), max_length=200, blank=True)
    description = models.TextField(_("description"))
    media_url = models.URLField(max_length=500, blank=True)
    # Complaints about a procedure name their dossier.
    dossier = models.ForeignKey(
        "dossiers.Dossier", models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The citizen (never shown publicly, never logged).
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    device_id = models.CharField(max_length=100, blank=True)
    account_id = models.CharField(max_length=100, blank=True)
    # The citizen agrees that the report and its answer appear on the public list.
    is_public = models.BooleanField(_("public"), default=False)
    # Hotline: when the call came and the number to call back.
    call_at = models.DateTimeField(null=True, blank=True)
    callback_phone = models.CharField(max_length=20, blank=True)
    api_app = models.ForeignKey(ApiApp, models.PROTECT, null=True, blank=True, related_name="+")
    # A client's own key for the report: a retried submission returns the first report.
    client_key = models.CharField(max_length=100, blank=True)

    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.RECEIVED
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    transfers = models.PositiveSmallIntegerField(default=0)
    escalated = models.BooleanField(default=False)
    reopened = models.PositiveSmallIntegerField(default=0)
    duplicate_of = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="duplicates"
    )

    received_at = models.DateTimeField(_("received"), default=timezone.now)
    due_at = models.DateTimeField(_("reply due"))
    # Where the 15-working-day mark of Decision 766 falls (shifted by waiting, like due_at).
    mark_15_at = models.DateTimeField()
    waiting_since = models.DateTimeField(null=True, blank=True)
    waited_seconds = models.PositiveIntegerField(default=0)
    reminded_at = models.DateTimeField(null=True, blank=True)
    overdue_at = models.DateTimeField(null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    # Office seconds from receipt to answer, waiting for the citizen excluded.
    handled_seconds = models.PositiveIntegerField(null=True, blank=True)
    within_15_days = models.BooleanField(null=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    rating = models.CharField(max_length=16, choices=Rating.choices, blank=True)
    rating_note = models.CharField(max_length=500, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("citizen report")
        verbose_name_plural = _("citizen reports")
        constraints = [
            models.UniqueConstraint(
                fields=["api_app", "client_key"],
                condition=~Q(client_key=""),
                name="report_client_key_unique",
                nulls_distinct=False,
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "status", "due_at"], name="report_unit_queue_idx"),
            models.Index(fields=["province", "received_at"], name="report_province_day_idx"),
            models.Index(
                fields=["-received_at", "-id"],
                condition=Q(is_public=True),
                name="report_public_recent_idx",
            ),
            models.Index(fields=["updated_at", "id"], name="report_updated_idx"),
            models.Index(fields=["phone"], condition=~Q(phone=""), name="report_phone_idx"),
            models.Index(
                fields=["due_at"],
                condition=Q(status__in=["received", "assigned", "in_progress"]),
                name="report_open_due_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_open(self) -> bool:
        return self.status in OPEN


ACTION_LABELS = {
    "file": _("Received"),
    "assign": _("Taken by the unit"),
    "start": _("Handling started"),
    "wait": _("Asked the citizen"),
    "resume": _("The citizen answered"),
    "transfer": _("Transferred"),
    "escalate": _("Escalated to the province"),
    "handover": _("Handed over in a reorganisation"),
    "locate": _("Unit confirmed"),
    "answer": _("Answered"),
    "close": _("Closed"),
    "reopen": _("Reopened by the citizen"),
    "merge": _("Merged as a duplicate"),
    "absorb": _("A duplicate was merged in"),
    "rate": _("Rated by the citizen"),
}


class ReportEvent(models.Model):
    """One step of a report's history; the public ones are Open311 service request updates."""

    report = models.ForeignKey(Report, models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    action = models.CharField(max_length=20)
    status = models.CharField(max_length=12, choices=Status.choices)
    actor_id = models.IntegerField(null=True, blank=True)
    actor_label = models.CharField(max_length=200)
    from_unit = models.ForeignKey(
        AdminUnit, models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_unit = models.ForeignKey(AdminUnit, models.PROTECT, null=True, blank=True, related_name="+")
    note = models.TextField(blank=True)
    # Shown to the public (an answer, a status change) or only to officers.
    public = models.BooleanField(default=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["at", "id"], name="report_event_at_idx")]

    def __str__(self) -> str:
        return f"{self.report_id} {self.action}"

    @property
    def label(self) -> str:
        return str(ACTION_LABELS.get(self.action, self.action))


class Photo(models.Model):
    """A photo attached to a report: re-encoded without its metadata (GPS included)."""

    report = models.ForeignKey(Report, models.CASCADE, related_name="photos")
    content_type = models.CharField(max_length=20)
    data = models.BinaryField()
    size = models.PositiveIntegerField()
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"photo {self.pk} of {self.report_id}"
