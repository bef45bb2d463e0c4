"""Administrative units in time, the successions between them, and the service centres."""

from __future__ import annotations

import datetime as dt

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateRangeField, RangeOperators
from django.contrib.postgres.fields.ranges import RangeBoundary
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models import Func, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Tier(models.TextChoices):
    PROVINCE = "province", _("Province level")
    DISTRICT = "district", _("District level")
    COMMUNE = "commune", _("Commune level")


class Kind(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("Centrally-run city")
    URBAN_DISTRICT = "urban_district", _("Urban district")
    RURAL_DISTRICT = "rural_district", _("Rural district")
    TOWN = "town", _("District-level town")
    PROVINCIAL_CITY = "provincial_city", _("Provincial city")
    COMMUNE = "commune", _("Commune")
    WARD = "ward", _("Ward")
    TOWNSHIP = "township", _("Township")
    SPECIAL_ZONE = "special_zone", _("Special zone")


class DateRange(Func):
    """daterange(valid_from, valid_to, '[]'): a unit's period of validity, ends included."""

    function = "DATERANGE"
    output_field = DateRangeField()


class AdminUnitQuerySet(models.QuerySet["AdminUnit"]):
    def in_force_on(self, day: dt.date) -> AdminUnitQuerySet:
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_to__isnull=True) | Q(valid_to__gte=day),
        )


class AdminUnit(models.Model):
    """A province, district or commune as it existed over a period.

    Codes were reused by the 2025 reform, so a unit is its code plus its period of validity.
    """

    code = models.CharField(_("official code"), max_length=10)
    name = models.CharField(_("name"), max_length=120)
    short_name = models.CharField(_("short name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    tier = models.CharField(_("tier"), max_length=10, choices=Tier.choices)
    parent = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="children"
    )
    # The province the unit belongs to (itself for a province): one filter for a whole province.
    province = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="province_units"
    )
    valid_from = models.DateField(_("in force from"), null=True, blank=True)
    valid_to = models.DateField(_("in force until"), null=True, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    area_km2 = models.FloatField(_("area (km²)"), null=True, blank=True)
    search_key = models.CharField(max_length=240, editable=False)
    # The agency identifier code (Decision 20/2020/QĐ-TTg style) that starts this unit's
    # dossier codes and names it to the national portal (madonvi). Each province loads its
    # official codes (`haicap units agency-codes FILE`); until then one is derived from the
    # unit's own codes (units/agency_codes.py).
    agency_code = models.CharField(_("agency identifier code"), max_length=40, blank=True)

    objects = AdminUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        ordering = ["code", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_to__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="unit_period_ordered",
            ),
            # No two units carry the same code on the same day.
            ExclusionConstraint(
                name="unit_code_unique_in_time",
                expressions=[
                    ("code", RangeOperators.EQUAL),
                    (
                        DateRange(
                            "valid_from",
                            "valid_to",
                            RangeBoundary(inclusive_lower=True, inclusive_upper=True),
                        ),
                        RangeOperators.OVERLAPS,
                    ),
                ],
            ),
        ]
        indexes = [
            models.Index(fields=["code", "valid_from"], name="unit_code_idx"),
            models.Index(fields=["province", "tier"], name="unit_province_tier_idx"),
            GinIndex(OpClass("search_key", name="gin_trgm_ops"), name="unit_search_trgm"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def in_force_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    @property
    def reference_date(self) -> dt.date:
        """A day on which the unit was in force: links to it carry this date."""
        return self.valid_to or self.valid_from or timezone.localdate()


class SuccessionKind(models.TextChoices):
    MERGE = "merge", _("Merged into")
    SPLIT = "split", _("Split between")
    RENAME = "rename", _("Renamed")
    CONTINUE = "continue", _("Continued as")
    ABOLISH = "abolish", _("Abolished; work passed to")


class Succession(models.Model):
    """One old unit handing its territory and work to one new unit on a date."""

    predecessor = models.ForeignKey(
        AdminUnit, models.PROTECT, related_name="successions_out", verbose_name=_("predecessor")
    )
    successor = models.ForeignKey(
        AdminUnit, models.PROTECT, related_name="successions_in", verbose_name=_("successor")
    )
    effective_date = models.DateField(_("effective date"))
    kind = models.CharField(_("kind"), max_length=10, choices=SuccessionKind.choices)
    # Where the predecessor's pending work goes unless a rule says otherwise.
    is_default = models.BooleanField(_("default successor"), default=True)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("succession")
        verbose_name_plural = _("successions")
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor"], name="succession_pair_unique"
            ),
            models.UniqueConstraint(
                fields=["predecessor"],
                condition=Q(is_default=True),
                name="succession_one_default",
            ),
        ]
        indexes = [models.Index(fields=["successor"], name="succession_successor_idx")]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor} ({self.kind})"


class ServiceCenterKind(models.TextChoices):
    PROVINCIAL = "provincial", _("Provincial public administrative service centre")
    BRANCH = "branch", _("Branch of the provincial centre")
    COMMUNE = "commune", _("Commune public administrative service centre")
    RECEPTION_POINT = "reception_point", _("Reception point")


class ServiceCenter(models.Model):
    """A one-stop shop where dossiers are received and results returned."""

    # Agency identifier printed at the start of every dossier code it receives.
    code = models.CharField(_("agency code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=ServiceCenterKind.choices)
    unit = models.ForeignKey(
        AdminUnit, models.PROTECT, related_name="service_centers", verbose_name=_("unit")
    )
    parent = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="branches"
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    opening_hours = models.CharField(
        _("opening hours"), max_length=200, blank=True, default="Thứ Hai – Thứ Sáu, 7:30–17:00"
    )
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("service centre")
        verbose_name_plural = _("service centres")
        ordering = ["code"]
        indexes = [models.Index(fields=["unit", "kind"], name="center_unit_kind_idx")]

    def __str__(self) -> str:
        return self.name
