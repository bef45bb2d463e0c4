"""Daily figures per unit, per province and per province and procedure, kept current from
the dossiers by `reports/aggregate.py` (see docs/reports.md for every column's meaning).

Every figure is a count or a sum, so any set of days and units adds up; the processing-time
histogram adds up bucket by bucket. Rows are written only by `aggregate.py`.
"""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone

from haicap.procedures.models import Procedure
from haicap.units.models import AdminUnit


class Figures(models.Model):
    """What happened on one day: dossiers received that day, and dossiers finished that day."""

    day = models.DateField()
    # Received that day (accepted at a counter, or an online filing accepted).
    received = models.PositiveIntegerField(default=0)
    received_online = models.PositiveIntegerField(default=0)
    # Of those, with their papers scanned or uploaded (at least one intake paper).
    digitised = models.PositiveIntegerField(default=0)
    # Finished that day: processed, returned, stopped, or refused after being received.
    finished = models.PositiveIntegerField(default=0)
    # By the legal due date (supplement waiting excluded, apologies not counted) …
    on_time = models.PositiveIntegerField(default=0)
    # … of which a working day or more before it; and after it.
    early = models.PositiveIntegerField(default=0)
    late = models.PositiveIntegerField(default=0)
    apologised = models.PositiveIntegerField(default=0)
    # Office seconds from receipt to the end, supplement waiting excluded (summed).
    working_seconds = models.BigIntegerField(default=0)
    # Finished dossiers per processing-time bucket (reports/histogram.py).
    histogram = ArrayField(models.PositiveIntegerField(), default=list)
    # Finished with a result: how many had an electronic result paper.
    with_result = models.PositiveIntegerField(default=0)
    e_results = models.PositiveIntegerField(default=0)
    # Finished with a fee to pay, and of those paid online.
    fee_bearing = models.PositiveIntegerField(default=0)
    paid_online = models.PositiveIntegerField(default=0)
    # Ratings of the dossiers finished that day.
    rated = models.PositiveIntegerField(default=0)
    rated_very_satisfied = models.PositiveIntegerField(default=0)
    rated_satisfied = models.PositiveIntegerField(default=0)
    rated_not_satisfied = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True


class UnitDay(Figures):
    """Figures of one responsible unit (commune, province itself, or a legacy unit)."""

    unit = models.ForeignKey(AdminUnit, models.DO_NOTHING, db_constraint=False, related_name="+")
    province = models.ForeignKey(
        AdminUnit, models.DO_NOTHING, db_constraint=False, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "province", "day"], name="unitday_key")
        ]
        indexes = [models.Index(fields=["province", "day"], name="unitday_province_day")]

    def __str__(self) -> str:
        return f"unit {self.unit_id} {self.day}"


class ProvinceDay(Figures):
    province = models.ForeignKey(
        AdminUnit, models.DO_NOTHING, db_constraint=False, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["province", "day"], name="provinceday_key")]
        indexes = [models.Index(fields=["day"], name="provinceday_day")]

    def __str__(self) -> str:
        return f"province {self.province_id} {self.day}"


class ProcedureDay(Figures):
    province = models.ForeignKey(
        AdminUnit, models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    procedure = models.ForeignKey(
        Procedure, models.DO_NOTHING, db_constraint=False, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["province", "procedure", "day"], name="procedureday_key"
            )
        ]
        indexes = [
            models.Index(fields=["day"], name="procedureday_day"),
            models.Index(fields=["province", "day"], name="procedureday_province_day"),
        ]

    def __str__(self) -> str:
        return f"province {self.province_id} procedure {self.procedure_id} {self.day}"


class ChangedDay(models.Model):
    """A (unit, province, procedure, day) whose figures must be recounted.

    Written by database triggers on dossiers and ratings (so no write path is missed, raw SQL
    included); consumed by `aggregate.refresh`. Duplicates are harmless.
    """

    unit_id = models.BigIntegerField()
    province_id = models.BigIntegerField()
    procedure_id = models.BigIntegerField()
    day = models.DateField()

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.province_id}/{self.procedure_id} {self.day}"


class RefreshRun(models.Model):
    """One recount: when, how much, how long (the dashboards say how fresh they are)."""

    kind = models.CharField(max_length=10)  # "refresh" or "rebuild"
    started_at = models.DateTimeField(default=timezone.now)
    seconds = models.FloatField(default=0)
    keys = models.PositiveIntegerField(default=0)
    rows = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["-started_at"], name="refreshrun_recent")]

    def __str__(self) -> str:
        return f"{self.kind} {self.started_at:%Y-%m-%d %H:%M} ({self.keys} keys)"
