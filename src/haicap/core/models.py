"""The audit trail: who read or changed what, when, in which unit. Rows are never changed."""

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
    unit = models.ForeignKey(
        "units.AdminUnit",
        models.DO_NOTHING,
        null=True,
        blank=True,
        db_constraint=False,
        related_name="+",
    )
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
