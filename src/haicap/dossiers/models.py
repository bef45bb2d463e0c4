"""Dossiers at the one-stop shop, their timeline, papers and daily code sequences."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haicap.procedures.models import Procedure, ProcedureForm, RequiredPaper
from haicap.units.models import AdminUnit, ServiceCenter


class Status(models.IntegerChoices):
    """The national portal's dossier status codes (Circular 03/2025/TT-VPCP)."""

    NEW = 1, _("New (filed online)")
    ACCEPTED = 2, _("Accepted")
    NOT_ACCEPTED = 3, _("Not accepted")
    PROCESSING = 4, _("Processing")
    SUPPLEMENT_REQUESTED = 5, _("Supplement requested")
    PAYMENT_REQUESTED = 6, _("Payment requested")
    WITHDRAWN = 7, _("Withdrawn")
    STOPPED = 8, _("Processing stopped")
    PROCESSED = 9, _("Processed")
    RETURNED = 10, _("Result returned")


# Dossiers someone still has to act on.
OPEN_STATUSES = (
    Status.NEW,
    Status.ACCEPTED,
    Status.PROCESSING,
    Status.SUPPLEMENT_REQUESTED,
    Status.PAYMENT_REQUESTED,
    Status.PROCESSED,
)
# Dossiers whose clock runs (not paused, not finished).
CLOCK_STATUSES = (Status.ACCEPTED, Status.PROCESSING, Status.PAYMENT_REQUESTED)
FINAL_STATUSES = (Status.NOT_ACCEPTED, Status.WITHDRAWN, Status.STOPPED, Status.RETURNED)


class Channel(models.IntegerChoices):
    IN_PERSON = 1, _("In person")
    ONLINE = 2, _("Online")
    POSTAL = 3, _("Public postal service")


class Outcome(models.TextChoices):
    NONE = "", _("Not decided")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Refused on the merits")


class Dossier(models.Model):
    """One application for one procedure.

    The fields in ``STATE_FIELDS`` change only through actions, each recorded as a
    DossierEvent carrying the changes; replaying the events rebuilds them.
    """

    code = models.CharField(_("dossier code"), max_length=60)
    # Shown once to the applicant with the code; together they open the public lookup.
    secret = models.CharField(max_length=20)
    # Foreign keys without an index of their own are read through the composite indexes in
    # Meta, or never filtered on: every index costs each write (docs/dossiers.md).
    procedure = models.ForeignKey(
        Procedure, models.PROTECT, related_name="dossiers", db_index=False
    )
    channel = models.PositiveSmallIntegerField(_("channel"), choices=Channel.choices)

    # The applicant. Personal data: never logged, every read audited.
    applicant_name = models.CharField(_("applicant"), max_length=200)
    applicant_name_key = models.CharField(max_length=200, editable=False)
    applicant_id_number = models.CharField(_("ID number"), max_length=20, blank=True)
    applicant_birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    applicant_phone = models.CharField(_("phone"), max_length=20, blank=True)
    applicant_email = models.EmailField(_("e-mail"), blank=True)
    applicant_address = models.CharField(_("address"), max_length=300, blank=True)
    applicant_unit = models.ForeignKey(
        AdminUnit, models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )
    applicant_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    receiving_centre = models.ForeignKey(
        ServiceCenter, models.PROTECT, related_name="dossiers", db_index=False
    )
    receiving_unit = models.ForeignKey(AdminUnit, models.PROTECT, related_name="+")
    responsible_unit = models.ForeignKey(
        AdminUnit, models.PROTECT, related_name="+", db_index=False
    )
    province = models.ForeignKey(AdminUnit, models.PROTECT, related_name="+", db_index=False)

    status = models.PositiveSmallIntegerField(_("status"), choices=Status.choices)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    submitted_at = models.DateTimeField(_("filed"), null=True, blank=True)
    received_at = models.DateTimeField(_("received"), null=True, blank=True)
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    original_due_at = models.DateTimeField(_("first appointment"), null=True, blank=True)
    # The legal deadline: the first appointment moved by supplement waits, never by an
    # apology's new appointment. Finished after it is late (Decision 766).
    legal_due_at = models.DateTimeField(_("legal deadline"), null=True, blank=True)
    paused_at = models.DateTimeField(null=True, blank=True)
    paused_seconds = models.PositiveIntegerField(default=0)
    resume_status = models.PositiveSmallIntegerField(null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # Office seconds from receipt to the end, supplement waiting excluded; set on finishing.
    working_seconds = models.PositiveIntegerField(null=True, blank=True)
    returned_at = models.DateTimeField(_("returned"), null=True, blank=True)
    step = models.PositiveSmallIntegerField(_("step"), default=0)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    at_other_agency = models.CharField(_("at other agency"), max_length=200, blank=True)
    pages = models.PositiveIntegerField(_("pages"), default=0)
    copies = models.PositiveSmallIntegerField(_("copies"), default=1)
    fee = models.PositiveIntegerField(_("fee (đ)"), default=0)
    fee_paid = models.BooleanField(_("fee paid"), default=False)
    paid_at = models.DateTimeField(null=True, blank=True)
    payment_method = models.CharField(max_length=20, blank=True)
    supplement_requests = models.PositiveSmallIntegerField(default=0)
    apologies = models.PositiveSmallIntegerField(default=0)
    result_note = models.TextField(_("result"), blank=True)
    # Bumped by every action; equals the number of timeline events.
    version = models.PositiveIntegerField(default=0)

    # NULL, not "", when absent: dossiers without a key stay out of the unique index.
    idempotency_key = models.CharField(max_length=200, null=True, blank=True)  # noqa: DJ001
    idempotency_fingerprint = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    created_at = models.DateTimeField(default=timezone.now)

    STATE_FIELDS = (
        "status",
        "outcome",
        "submitted_at",
        "received_at",
        "due_at",
        "original_due_at",
        "legal_due_at",
        "paused_at",
        "paused_seconds",
        "resume_status",
        "finished_at",
        "working_seconds",
        "returned_at",
        "step",
        "assignee_id",
        "at_other_agency",
        "fee",
        "fee_paid",
        "paid_at",
        "payment_method",
        "supplement_requests",
        "apologies",
        "result_note",
        "receiving_unit_id",
        "responsible_unit_id",
        "province_id",
    )

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        constraints = [
            models.UniqueConstraint(fields=["code"], name="dossier_code_unique"),
            models.UniqueConstraint(
                fields=["idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="dossier_idempotency_unique",
            ),
        ]
        indexes = [
            models.Index(
                fields=["responsible_unit", "due_at"],
                condition=Q(status__in=OPEN_STATUSES),
                name="dossier_open_responsible",
            ),
            models.Index(
                fields=["receiving_unit", "due_at"],
                condition=Q(status__in=OPEN_STATUSES),
                name="dossier_open_receiving",
            ),
            models.Index(
                fields=["province", "due_at"],
                condition=Q(status__in=OPEN_STATUSES),
                name="dossier_open_province",
            ),
            models.Index(
                fields=["assignee", "due_at"],
                condition=Q(status__in=OPEN_STATUSES),
                name="dossier_open_assignee",
            ),
            models.Index(fields=["province", "received_at"], name="dossier_province_received"),
            # The indicators recount a province's days per procedure (reports/aggregate.py).
            models.Index(
                fields=["province", "procedure", "received_at"],
                name="dossier_province_proc_received",
            ),
            models.Index(
                fields=["province", "procedure", "finished_at"],
                name="dossier_province_proc_finished",
            ),
            models.Index(
                fields=["responsible_unit", "received_at"], name="dossier_responsible_received"
            ),
            models.Index(
                fields=["responsible_unit", "finished_at"], name="dossier_responsible_finished"
            ),
            models.Index(fields=["applicant_id_number"], name="dossier_applicant_id"),
            GinIndex(
                OpClass("applicant_name_key", name="gin_trgm_ops"), name="dossier_applicant_trgm"
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, at: dt.datetime | None = None) -> bool:
        moment = at or timezone.now()
        return self.due_at is not None and self.status in CLOCK_STATUSES and self.due_at < moment


class DossierEvent(models.Model):
    """One step of a dossier's timeline, with the state it changed."""

    # Read through the (dossier, seq) unique index.
    dossier = models.ForeignKey(Dossier, models.CASCADE, related_name="events", db_index=False)
    seq = models.PositiveIntegerField()
    at = models.DateTimeField(_("time"))
    action = models.CharField(_("action"), max_length=30)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(max_length=150)
    from_status = models.PositiveSmallIntegerField(null=True, choices=Status.choices)
    to_status = models.PositiveSmallIntegerField(choices=Status.choices)
    note = models.TextField(_("note"), blank=True)
    # Dossier fields this event set (JSON; dates as ISO strings), replayed to rebuild state.
    changes = models.JSONField(default=dict)
    # What else the event says: papers asked for, the agency, the new appointment, …
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("dossier event")
        verbose_name_plural = _("dossier events")
        ordering = ["dossier", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "seq"], name="dossier_event_seq_unique")
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id}#{self.seq} {self.action}"


class PaperStage(models.TextChoices):
    INTAKE = "intake", _("Filed with the dossier")
    SUPPLEMENT = "supplement", _("Supplement")
    RESULT = "result", _("Electronic result")


class DossierPaper(models.Model):
    """A file attached to a dossier, checked for type and size when uploaded."""

    dossier = models.ForeignKey(Dossier, models.CASCADE, related_name="papers")
    name = models.CharField(_("paper"), max_length=300)
    file = models.FileField(upload_to="dossiers/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    stage = models.CharField(max_length=12, choices=PaperStage.choices)
    # The required paper this file is, when the filing said so (e-form filings do).
    required_paper = models.ForeignKey(
        RequiredPaper, models.SET_NULL, null=True, blank=True, related_name="+", db_index=False
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    uploaded_by = models.CharField(max_length=150)

    class Meta:
        verbose_name = _("paper")
        verbose_name_plural = _("papers")
        ordering = ["dossier", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name


class DossierForm(models.Model):
    """The e-form values a dossier was filed with, under the form version then current, and
    how each required paper was given (uploaded, to be shown at the desk, received)."""

    dossier = models.OneToOneField(Dossier, models.CASCADE, related_name="eform")
    form = models.ForeignKey(ProcedureForm, models.PROTECT, null=True, related_name="+")
    version = models.PositiveIntegerField(default=0)
    # Personal data: read only through the dossier's access helpers, never logged.
    values = models.JSONField(default=dict)
    # [{"paper": id, "name": …, "how": "form" | "uploaded" | "desk" | "received", "files": n}]
    papers = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("declaration")
        verbose_name_plural = _("declarations")

    def __str__(self) -> str:
        return f"{self.dossier_id} v{self.version}"


class DossierSequence(models.Model):
    """The last sequence number a centre gave on a day (the NNNN of the dossier code)."""

    centre = models.ForeignKey(ServiceCenter, models.CASCADE, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["centre", "day"], name="dossier_sequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.centre_id} {self.day}: {self.last}"


class Satisfaction(models.IntegerChoices):
    VERY_SATISFIED = 3, _("Very satisfied")
    SATISFIED = 2, _("Satisfied")
    NOT_SATISFIED = 1, _("Not satisfied")


class Rating(models.Model):
    """The citizen's rating of a returned dossier: one per dossier."""

    dossier = models.OneToOneField(Dossier, models.CASCADE, related_name="rating")
    score = models.PositiveSmallIntegerField(_("rating"), choices=Satisfaction.choices)
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.score}"


class DossierPlacement(models.Model):
    """Where one pending dossier goes under a reorganisation plan; ``moved_at`` once it has.

    ``new_responsible`` is empty when the plan cannot place the dossier (``reason`` says why).
    The plan is a plain id: plans belong to the reorganisation app above this one. Only the
    plan and dossier are indexed, and pages keep room (fillfactor 70), so marking a placement
    moved is a heap-only update that writes no index (dossiers migration 0003).
    """

    plan_id = models.BigIntegerField()
    dossier = models.ForeignKey(Dossier, models.CASCADE, related_name="+", db_index=False)
    status = models.PositiveSmallIntegerField()
    old_responsible = models.ForeignKey(AdminUnit, models.PROTECT, related_name="+", db_index=False)
    old_receiving = models.ForeignKey(AdminUnit, models.PROTECT, related_name="+", db_index=False)
    new_responsible = models.ForeignKey(
        AdminUnit, models.PROTECT, null=True, related_name="+", db_index=False
    )
    new_receiving = models.ForeignKey(
        AdminUnit, models.PROTECT, null=True, related_name="+", db_index=False
    )
    new_province = models.ForeignKey(
        AdminUnit, models.PROTECT, null=True, related_name="+", db_index=False
    )
    reason = models.CharField(max_length=200, blank=True)
    moved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["plan_id", "dossier"], name="dossier_placement_unique")
        ]

    def __str__(self) -> str:
        return f"{self.plan_id}: {self.dossier_id} → {self.new_responsible_id}"


# Payments, signed results and notices live in their own module; importing them here
# registers them with the app.
from haicap.dossiers.extra_models import (  # noqa: E402
    Notice,
    Payment,
    PaymentMethod,
    PaymentStatus,
    ResultSignature,
    SandboxTransaction,
    SigningKey,
)

__all__ = [
    "CLOCK_STATUSES",
    "FINAL_STATUSES",
    "OPEN_STATUSES",
    "Channel",
    "Dossier",
    "DossierEvent",
    "DossierPaper",
    "DossierPlacement",
    "DossierSequence",
    "Notice",
    "Outcome",
    "PaperStage",
    "Payment",
    "PaymentMethod",
    "PaymentStatus",
    "Rating",
    "ResultSignature",
    "SandboxTransaction",
    "Satisfaction",
    "SigningKey",
    "Status",
]
