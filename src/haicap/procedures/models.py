"""The catalogue of administrative procedures: times, fees, papers and process templates."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from haicap.staff.models import Role


class Sector(models.TextChoices):
    CIVIL_STATUS = "civil_status", _("Civil status")
    CERTIFICATION = "certification", _("Certification")
    RESIDENCE = "residence", _("Residence")
    LAND = "land", _("Land")
    CONSTRUCTION = "construction", _("Construction")
    BUSINESS = "business", _("Business")
    JUSTICE = "justice", _("Justice")
    LABOUR = "labour", _("Labour and employment")
    SOCIAL = "social", _("Social protection")
    OTHER = "other", _("Other")


class CompetentTier(models.TextChoices):
    COMMUNE = "commune", _("Commune")
    PROVINCE = "province", _("Province")
    CENTRAL = "central", _("Central")


class TimeKind(models.TextChoices):
    WORKING_DAYS = "working_days", _("Working days")
    SAME_DAY = "same_day", _("Same day (after the cutoff: next working day)")


class FeeKind(models.TextChoices):
    FREE = "free", _("Free")
    FLAT = "flat", _("Flat fee")
    BY_CHANNEL = "by_channel", _("Fee by channel (in person / online)")
    PER_PAGE = "per_page", _("Per page, with a cap per copy")
    PROVINCE_SET = "province_set", _("Set by the province")


class OnlineLevel(models.TextChoices):
    FULL = "full", _("Fully online")
    PARTIAL = "partial", _("Partly online")
    NONE = "none", _("Not online")


class Procedure(models.Model):
    # National code (e.g. 1.001193.000.00.00.H01) where known, else a stable code of ours.
    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=300)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    competent_tier = models.CharField(
        _("competent tier"), max_length=10, choices=CompetentTier.choices
    )
    handling_agency = models.CharField(_("handling agency"), max_length=200)
    time_kind = models.CharField(_("legal time"), max_length=15, choices=TimeKind.choices)
    time_days = models.PositiveSmallIntegerField(_("working days"), default=0)
    time_note = models.CharField(_("note on the time"), max_length=300, blank=True)
    fee_kind = models.CharField(_("fee rule"), max_length=15, choices=FeeKind.choices)
    # Amounts in đồng. FLAT/PROVINCE_SET: fee_amount. BY_CHANNEL: fee_amount in person,
    # fee_online online. PER_PAGE: fee_per_page for the first pages, fee_per_page_after from
    # fee_page_threshold + 1, at most fee_cap per copy.
    fee_amount = models.PositiveIntegerField(_("fee (đ)"), default=0)
    fee_online = models.PositiveIntegerField(_("fee online (đ)"), default=0)
    fee_per_page = models.PositiveIntegerField(_("fee per page (đ)"), default=0)
    fee_per_page_after = models.PositiveIntegerField(_("fee per further page (đ)"), default=0)
    fee_page_threshold = models.PositiveSmallIntegerField(_("pages at the first rate"), default=0)
    fee_cap = models.PositiveIntegerField(_("fee cap per copy (đ)"), default=0)
    fee_note = models.CharField(_("note on the fee"), max_length=300, blank=True)
    online_level = models.CharField(_("online level"), max_length=10, choices=OnlineLevel.choices)
    result_paper = models.CharField(_("result"), max_length=300)
    legal_basis = models.TextField(_("legal basis"))
    # Phi địa giới: may be filed at any centre of the province, whatever the address.
    filing_anywhere = models.BooleanField(_("may be filed anywhere in the province"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    search_key = models.CharField(max_length=400, editable=False, default="")

    class Meta:
        verbose_name = _("procedure")
        verbose_name_plural = _("procedures")
        ordering = ["competent_tier", "sector", "name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        from haicap.core.text import search_key

        self.search_key = search_key(f"{self.name} {self.code}")
        super().save(*args, **kwargs)


class RequiredPaper(models.Model):
    procedure = models.ForeignKey(Procedure, models.CASCADE, related_name="papers")
    order = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("paper"), max_length=300)
    copies = models.PositiveSmallIntegerField(_("copies"), default=1)
    original = models.BooleanField(_("original required"), default=False)
    mandatory = models.BooleanField(_("mandatory"), default=True)
    # The declaration itself: filled in as the procedure's e-form, not uploaded.
    is_declaration = models.BooleanField(_("filled in as the e-form"), default=False)
    # Online it may be marked "to be shown at the desk" instead of uploaded.
    desk_allowed = models.BooleanField(_("may be shown at the desk"), default=False)
    # At the counter the officer attaches a scan (digitisation, Decision 766).
    digitise = models.BooleanField(_("scan at the counter"), default=False)

    class Meta:
        verbose_name = _("required paper")
        verbose_name_plural = _("required papers")
        ordering = ["procedure", "order", "id"]

    def __str__(self) -> str:
        return self.name


class StepRole(models.TextChoices):
    RECEIVER = Role.RECEIVER.value, _("Receiver")
    SPECIALIST = Role.SPECIALIST.value, _("Specialist")
    LEADER = Role.LEADER.value, _("Leader (signer)")
    CLERK = Role.CLERK.value, _("Clerk / result desk")
    OTHER_AGENCY = "other_agency", _("Other agency")


class ProcessStep(models.Model):
    """One step of a procedure's process template, with its share of the legal time."""

    procedure = models.ForeignKey(Procedure, models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("step"), max_length=200)
    role = models.CharField(_("role"), max_length=20, choices=StepRole.choices)
    share_percent = models.PositiveSmallIntegerField(_("share of the legal time (%)"))

    class Meta:
        verbose_name = _("process step")
        verbose_name_plural = _("process steps")
        ordering = ["procedure", "order", "id"]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"


class ProcedureForm(models.Model):
    """One version of a procedure's e-form; dossiers keep the version they were filed with.

    ``definition`` is checked by ``procedures.forms_schema.FormDefinition``; a change is a new
    version (procedures/actions.py), never an edit of one dossiers were filed under.
    """

    procedure = models.ForeignKey(Procedure, models.CASCADE, related_name="forms")
    version = models.PositiveIntegerField()
    definition = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("e-form")
        verbose_name_plural = _("e-forms")
        ordering = ["procedure", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["procedure", "version"], name="procedure_form_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.procedure.code} v{self.version}"
