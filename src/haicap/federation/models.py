"""The national federation's tables: the province's outbox and catalogue mapping, and the
hub's provinces, sessions, nonces, synced dossiers, traffic and reconciliations.

Both sets exist in every deployment (one codebase, one schema); the role decides which are
used (docs/federation.md).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _

from haicap.dossiers.models import Dossier
from haicap.procedures.models import Procedure
from haicap.units.models import AdminUnit

# The province's side


class OutboxState(models.TextChoices):
    PENDING = "pending", _("Waiting")
    SENT = "sent", _("Sent")
    DEAD = "dead", _("Refused (dead letter)")


class OutboxItem(models.Model):
    """One dossier change to send to the hub, written by a trigger on the dossier's timeline
    in the change's own transaction (migration 0002), so no change is ever missed."""

    dossier = models.ForeignKey(Dossier, models.CASCADE, related_name="+", db_index=False)
    # The timeline event's number, which is the dossier's version after the change.
    seq = models.PositiveIntegerField()
    event_id = models.BigIntegerField()
    created_at = models.DateTimeField(db_default=Now())
    state = models.CharField(max_length=10, choices=OutboxState.choices, db_default="pending")
    attempts = models.PositiveSmallIntegerField(db_default=0)
    next_attempt_at = models.DateTimeField(db_default=Now())
    last_error = models.CharField(max_length=300, db_default="", blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["next_attempt_at", "id"],
                condition=Q(state="pending"),
                name="outbox_pending",
            ),
            models.Index(fields=["dossier", "seq"], name="outbox_dossier_seq"),
            models.Index(fields=["id"], condition=Q(state="dead"), name="outbox_dead"),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} v{self.seq}"


class NationalProcedure(models.Model):
    """The national catalogue as last pulled from the hub (`haicap sync catalogue`)."""

    code = models.CharField(_("national code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=300)
    sector = models.CharField(_("sector"), max_length=40, blank=True)
    pulled_at = models.DateTimeField()

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class MappingSource(models.TextChoices):
    CODE = "code", _("Same code")
    NAME = "name", _("Same name")
    MANUAL = "manual", _("Set by hand")


class ProcedureMapping(models.Model):
    """The national code a local procedure is synced under (MaTTHC)."""

    procedure = models.OneToOneField(Procedure, models.CASCADE, related_name="+")
    national_code = models.CharField(_("national code"), max_length=60)
    source = models.CharField(max_length=10, choices=MappingSource.choices)
    mapped_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.national_code


class Reconciliation(models.Model):
    """A day's counts compared with the hub: what differed, and whether it was re-sent."""

    day = models.DateField(unique=True)
    checked_at = models.DateTimeField()
    # [{"madonvi", "status", "province", "hub"}] where the two counts differ.
    differences = models.JSONField(default=list)
    resent_at = models.DateTimeField(null=True, blank=True)
    resent = models.PositiveIntegerField(default=0)

    # The hub's side

    def __str__(self) -> str:
        return str(self.day)


class HubProvince(models.Model):
    """A province's system connected to the hub: its account, signing key and portal."""

    province = models.OneToOneField(AdminUnit, models.PROTECT, related_name="+")
    dstcode = models.CharField(max_length=20, unique=True)
    username = models.CharField(max_length=150, unique=True)
    password = models.CharField(max_length=200)  # a Django password hash
    # The shared HMAC key of the request signatures (kept: the hub must recompute them).
    key = models.CharField(max_length=200)
    # The province's portal, where citizens filing from the national catalogue are sent.
    portal_url = models.URLField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["dstcode"]

    def __str__(self) -> str:
        return self.dstcode


class HubSession(models.Model):
    token_hash = models.CharField(max_length=64, unique=True)
    province = models.ForeignKey(HubProvince, models.CASCADE, related_name="+", db_index=False)
    expires_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"session of {self.province_id}"


class HubNonce(models.Model):
    """Nonces seen inside the clock window; a second use of one is a replay."""

    province = models.ForeignKey(HubProvince, models.CASCADE, related_name="+", db_index=False)
    nonce = models.CharField(max_length=64)
    expires_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["province", "nonce"], name="hub_nonce_unique")
        ]
        indexes = [models.Index(fields=["expires_at"], name="hub_nonce_expiry")]

    def __str__(self) -> str:
        return self.nonce


class HubTraffic(models.Model):
    """Calls and refusals per province and hour: the monitor's error rate."""

    province = models.ForeignKey(HubProvince, models.CASCADE, related_name="+", db_index=False)
    hour = models.DateTimeField()
    calls = models.PositiveIntegerField(default=0)
    errors = models.PositiveIntegerField(default=0)
    changes = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["province", "hour"], name="hub_traffic_unique")
        ]

    def __str__(self) -> str:
        return f"{self.province_id} {self.hour}"


class SyncedDossier(models.Model):
    """The hub's copy of a province's dossier, at the highest version it received."""

    code = models.CharField(max_length=60, unique=True)  # MaHoSo
    province = models.ForeignKey(HubProvince, models.PROTECT, related_name="+", db_index=False)
    madonvi = models.CharField(max_length=40)
    unit = models.ForeignKey(AdminUnit, models.PROTECT, related_name="+", db_index=False)
    version = models.PositiveIntegerField()
    procedure_code = models.CharField(max_length=60)  # MaTTHC
    procedure_name = models.CharField(max_length=300)  # TenTTHC
    sector = models.CharField(max_length=40, blank=True)  # MaLinhVuc
    # Personal data: the applicant's name (ChuHoSo), shown only with the lookup secret.
    applicant_name = models.CharField(max_length=200)
    applicant_kind = models.PositiveSmallIntegerField()  # LoaiDoiTuong
    summary = models.CharField(max_length=500, blank=True)  # TrichYeuHoSo
    received_at = models.DateTimeField(null=True, blank=True)  # NgayTiepNhan
    due_at = models.DateTimeField(null=True, blank=True)  # NgayHenTra
    status = models.PositiveSmallIntegerField()  # TrangThaiHoSo
    finished_at = models.DateTimeField(null=True, blank=True)  # NgayKetThucXuLy
    returned_at = models.DateTimeField(null=True, blank=True)  # NgayTra
    channel = models.PositiveSmallIntegerField()  # HinhThuc
    handling_unit = models.CharField(max_length=200, blank=True)  # DonViXuLy
    lists = models.JSONField(default=dict)  # TaiLieuNop, DanhSachLePhi, … as sent
    # HMAC of code and lookup secret under the hub's key: the secret itself is never kept.
    secret_hash = models.CharField(max_length=64)
    first_received_at = models.DateTimeField(db_default=Now())
    updated_at = models.DateTimeField(db_default=Now())

    class Meta:
        indexes = [
            models.Index(fields=["province", "received_at"], name="synced_province_received"),
            models.Index(fields=["first_received_at"], name="synced_first_received"),
        ]

    def __str__(self) -> str:
        return self.code


class SyncedProgress(models.Model):
    """One step of a synced dossier's progress (CapNhatTienDoHoSoMC), once per version."""

    dossier = models.ForeignKey(
        SyncedDossier, models.CASCADE, related_name="progress", db_index=False
    )
    seq = models.PositiveIntegerField()
    actor = models.CharField(max_length=200)  # NguoiXuLy
    at = models.DateTimeField()  # ThoiDiemXuLy
    content = models.CharField(max_length=500)  # NoiDungXuLy
    status = models.PositiveSmallIntegerField()  # TrangThai
    received_at = models.DateTimeField(db_default=Now())

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["dossier", "seq"], name="synced_progress_unique")
        ]
        ordering = ["seq"]

    def __str__(self) -> str:
        return f"{self.dossier_id} v{self.seq}"


class HubReconciliation(models.Model):
    """A province's counts for a day as it reported them, and the differences found."""

    province = models.ForeignKey(HubProvince, models.CASCADE, related_name="+", db_index=False)
    day = models.DateField()
    checked_at = models.DateTimeField()
    differences = models.JSONField(default=list)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["province", "day"], name="hub_reconciliation_unique")
        ]
        ordering = ["-day"]

    def __str__(self) -> str:
        return f"{self.province_id} {self.day}"
