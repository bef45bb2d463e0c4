"""The audit trail (who read or changed what, when, in which unit; rows are never changed) and
the announced calendar days."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One read or change; a database trigger refuses UPDATE and DELETE on this table."""

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.DO_NOTHING,
        null=True,
        blank=True,
        db_constraint=False,
        related_name="+",
    )
    # Kept as text so the trail reads the same after an account is renamed or removed.
    actor_label = models.CharField(_("actor"), max_length=150)
    # The unit whose work this was; a plain id because core knows no other app.
    unit_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    subject_type = models.CharField(_("subject type"), max_length=40)
    subject_id = models.CharField(_("subject"), max_length=60, blank=True)
    verb = models.CharField(_("action"), max_length=60)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="audit_subject_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.verb} {self.subject_id}"


class CalendarDayKind(models.TextChoices):
    WORKING = "working", _("Make-up working day")
    DAY_OFF = "day_off", _("Extra day off")


class CalendarDay(models.Model):
    """A day the government announced as a make-up working day or an extra day off.

    Overrides what the `holidays` package says for that date (weekends and public holidays).
    """

    day = models.DateField(_("day"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=CalendarDayKind.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("announced calendar day")
        verbose_name_plural = _("announced calendar days")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.get_kind_display()}"
