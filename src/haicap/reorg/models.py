"""Reorganisation plans: which units become which, with overrides for split units."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haicap.procedures.models import Procedure, Sector
from haicap.units.models import AdminUnit, SuccessionKind


class PlanState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PREVIEWED = "previewed", _("Previewed")
    APPLYING = "applying", _("Being applied")
    APPLIED = "applied", _("Applied")


class ReorgPlan(models.Model):
    name = models.CharField(_("name"), max_length=200)
    legal_basis = models.CharField(_("legal basis"), max_length=500, blank=True)
    effective_date = models.DateField(_("effective date"))
    state = models.CharField(
        _("state"), max_length=10, choices=PlanState.choices, default=PlanState.DRAFT
    )
    # The province whose own plan this is (every unit it names lies there: reorg/bounds.py);
    # empty for a national plan, which only a national administrator makes.
    province = models.ForeignKey(
        AdminUnit,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("province"),
    )
    # Officers' role assignments and the old units' service centres follow the units.
    move_staff = models.BooleanField(_("move staff role assignments"), default=True)
    move_centres = models.BooleanField(_("move service centres"), default=True)
    created_at = models.DateTimeField(default=timezone.now)
    previewed_at = models.DateTimeField(null=True, blank=True)
    applied_at = models.DateTimeField(null=True, blank=True)
    # The last preview's figures (see reorg/preview.py).
    preview = models.JSONField(null=True, blank=True)

    class Meta:
        verbose_name = _("reorganisation plan")
        verbose_name_plural = _("reorganisation plans")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.effective_date:%d/%m/%Y})"


class PlanSuccession(models.Model):
    plan = models.ForeignKey(ReorgPlan, models.CASCADE, related_name="successions")
    predecessor = models.ForeignKey(AdminUnit, models.PROTECT, related_name="+")
    successor = models.ForeignKey(AdminUnit, models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=SuccessionKind.choices)
    is_default = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "predecessor", "successor"], name="plan_succession_unique"
            ),
            models.UniqueConstraint(
                fields=["plan", "predecessor"],
                condition=Q(is_default=True),
                name="plan_succession_one_default",
            ),
        ]
        indexes = [models.Index(fields=["plan", "successor"], name="plan_succession_successor")]

    def __str__(self) -> str:
        return f"{self.predecessor_id} → {self.successor_id}"


class PlanOverride(models.Model):
    """For a split unit: dossiers of this procedure (or sector) go to this successor instead."""

    plan = models.ForeignKey(ReorgPlan, models.CASCADE, related_name="overrides")
    predecessor = models.ForeignKey(AdminUnit, models.PROTECT, related_name="+")
    procedure = models.ForeignKey(
        Procedure, models.PROTECT, null=True, blank=True, related_name="+"
    )
    sector = models.CharField(max_length=20, choices=Sector.choices, blank=True)
    successor = models.ForeignKey(AdminUnit, models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(procedure__isnull=False) | ~Q(sector=""),
                name="plan_override_procedure_or_sector",
            )
        ]

    def __str__(self) -> str:
        return f"{self.predecessor_id}: {self.procedure_id or self.sector} → {self.successor_id}"
