"""Citizens: their accounts and their online filings not yet submitted."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haicap.procedures.models import Procedure, RequiredPaper
from haicap.units.models import ServiceCenter


class CitizenProfile(models.Model):
    """A citizen's account: local (e-mail and password) or linked to an OpenID provider."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, models.CASCADE, related_name="citizen")
    full_name = models.CharField(_("full name"), max_length=200)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    oidc_issuer = models.CharField(max_length=300, blank=True)
    oidc_subject = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("citizen account")
        verbose_name_plural = _("citizen accounts")
        constraints = [
            models.UniqueConstraint(
                fields=["oidc_issuer", "oidc_subject"],
                condition=~Q(oidc_subject=""),
                name="citizen_oidc_identity_unique",
            )
        ]

    def __str__(self) -> str:
        return self.full_name


def _token() -> str:
    return secrets.token_urlsafe(16)


class Draft(models.Model):
    """An online filing in progress: kept for a signed-in citizen, else for the browser session."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, null=True, blank=True, related_name="drafts"
    )
    session_key = models.CharField(max_length=40, blank=True)
    procedure = models.ForeignKey(Procedure, models.CASCADE, related_name="+")
    centre = models.ForeignKey(ServiceCenter, models.CASCADE, null=True, related_name="+")
    data = models.JSONField(default=dict)
    # Submitting twice (a double click, a retry) gives the same dossier.
    token = models.CharField(max_length=32, default=_token, unique=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("draft")
        verbose_name_plural = _("drafts")

    def __str__(self) -> str:
        return f"{self.procedure} ({self.updated_at:%d/%m/%Y})"


class DraftPaper(models.Model):
    draft = models.ForeignKey(Draft, models.CASCADE, related_name="papers")
    # Which required paper this file is (None: another paper).
    required_paper = models.ForeignKey(
        RequiredPaper, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    name = models.CharField(max_length=300)
    file = models.FileField(upload_to="drafts/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()

    def __str__(self) -> str:
        return self.name


class PendingUpload(models.Model):
    """A checked file chosen on a filing form that was sent back with errors: kept for the
    signed-in citizen or the browser session so the next try shows it attached."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, null=True, blank=True, related_name="+"
    )
    session_key = models.CharField(max_length=40, blank=True)
    procedure = models.ForeignKey(Procedure, models.CASCADE, related_name="+")
    required_paper = models.ForeignKey(
        RequiredPaper, models.CASCADE, null=True, blank=True, related_name="+"
    )
    name = models.CharField(max_length=300)
    file = models.FileField(upload_to="pending/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["session_key", "procedure"], name="pending_upload_session"),
            models.Index(fields=["user", "procedure"], name="pending_upload_user"),
        ]

    def __str__(self) -> str:
        return self.original_name
