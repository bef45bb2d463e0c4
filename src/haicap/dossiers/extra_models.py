"""Payments of fees, signed electronic results, and the notices sent to applicants.

Kept beside models.py (which imports them) so that file stays short; the app label is the same.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haicap.units.models import AdminUnit


class PaymentStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for payment")
    PAID = "paid", _("Paid")
    FAILED = "failed", _("Not paid")
    # The gateway took the money after the fee had been paid another way (at the counter, or
    # a second online payment): no receipt, the amount is owed back to the payer.
    REFUND = "refund", _("Paid twice: to be refunded")


class PaymentMethod(models.TextChoices):
    CASH = "cash", _("Cash at the counter")
    TRANSFER = "transfer", _("Bank transfer")
    ONLINE = "online", _("Online payment")


class Payment(models.Model):
    """One attempt to pay a dossier's fee: online through the gateway, or at the counter.

    ``reference`` is the order number haicap gives the gateway; the gateway's callback names it.
    A payment leaves ``pending`` once, to ``paid`` or ``failed``; a later callback is a replay.
    """

    dossier = models.ForeignKey(
        "dossiers.Dossier", models.CASCADE, related_name="payments", db_index=False
    )
    reference = models.CharField(_("payment reference"), max_length=32, unique=True)
    method = models.CharField(_("method"), max_length=10, choices=PaymentMethod.choices)
    gateway = models.CharField(max_length=40, blank=True)
    gateway_transaction = models.CharField(max_length=64, blank=True)
    # Where the gateway asked to send the citizen to pay (online payments).
    redirect_url = models.CharField(max_length=500, blank=True)
    amount = models.PositiveIntegerField(_("amount (đ)"))
    status = models.CharField(_("status"), max_length=10, choices=PaymentStatus.choices)
    failure_reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by_label = models.CharField(max_length=150)
    paid_at = models.DateTimeField(null=True, blank=True)
    # The receipt (biên lai) number, given when the payment is paid.
    receipt_number = models.CharField(_("receipt number"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        indexes = [models.Index(fields=["dossier", "created_at"], name="payment_dossier")]

    def __str__(self) -> str:
        return self.reference


class SandboxTransaction(models.Model):
    """The sandbox gateway's own record of a transaction (its side, not haicap's)."""

    transaction_id = models.CharField(max_length=32, unique=True)
    merchant = models.CharField(max_length=40)
    order_id = models.CharField(max_length=32)
    amount = models.PositiveIntegerField()
    description = models.CharField(max_length=300)
    return_url = models.CharField(max_length=500)
    notify_url = models.CharField(max_length=500)
    status = models.CharField(max_length=10, default="pending")
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.transaction_id


class SigningKey(models.Model):
    """A leader's (or, without one, a unit's) certificate for signing electronic results.

    The key is encrypted PKCS#8; its passphrase is derived from the site's secret key (HMAC),
    held by the application on the leader's behalf, never stored beside it.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, null=True, blank=True, related_name="+"
    )
    unit = models.ForeignKey(AdminUnit, models.CASCADE, null=True, blank=True, related_name="+")
    certificate_pem = models.BinaryField()
    key_pem = models.BinaryField()
    chain_pem = models.BinaryField()
    serial = models.CharField(max_length=60)
    fingerprint = models.CharField(max_length=100)
    not_after = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(user__isnull=False) | models.Q(unit__isnull=False),
                name="signing_key_has_owner",
            )
        ]

    def __str__(self) -> str:
        return self.serial


class ResultSignature(models.Model):
    """A signed electronic result: who signed it, and the token its QR code opens."""

    paper = models.OneToOneField("dossiers.DossierPaper", models.CASCADE, related_name="signature")
    token = models.CharField(max_length=32, unique=True)
    signer_name = models.CharField(max_length=200)
    signer_title = models.CharField(max_length=200, blank=True)
    organisation = models.CharField(max_length=200, blank=True)
    certificate_serial = models.CharField(max_length=60)
    signed_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.token


class Notice(models.Model):
    """A message sent to a dossier's applicant (e-mail, text, or only the portal's inbox)."""

    dossier = models.ForeignKey(
        "dossiers.Dossier", models.CASCADE, related_name="notices", db_index=False
    )
    subject = models.CharField(_("subject"), max_length=200)
    text = models.TextField(_("message"))
    channels = models.JSONField(default=list)
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        indexes = [models.Index(fields=["dossier", "sent_at"], name="notice_dossier")]

    def __str__(self) -> str:
        return self.subject
