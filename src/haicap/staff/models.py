"""Officers: their roles in units and their API tokens."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    RECEIVER = "receiver", _("Receiver")
    SPECIALIST = "specialist", _("Specialist")
    LEADER = "leader", _("Leader (signer)")
    CLERK = "clerk", _("Clerk")
    PROVINCE_ADMIN = "province_admin", _("Provincial administrator")
    AUDITOR = "auditor", _("Auditor")


class RoleAssignment(models.Model):
    """An officer's role in a unit: what they see (the unit, or a whole province) and may do."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="role_assignments"
    )
    unit = models.ForeignKey(
        "units.AdminUnit", models.PROTECT, related_name="role_assignments", verbose_name=_("unit")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [models.UniqueConstraint(fields=["user", "unit", "role"], name="role_unique")]

    def __str__(self) -> str:
        return f"{self.user} {self.role} @ {self.unit}"


class ApiToken(models.Model):
    """A bearer token for the API; only its SHA-256 is stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100, blank=True)
    prefix = models.CharField(max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"
