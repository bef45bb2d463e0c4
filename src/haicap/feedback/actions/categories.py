"""The list of categories: the national one, and a province's changes to it."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from haicap.core import audit
from haicap.core.actors import Actor, is_system
from haicap.core.errors import Invalid, NotFound
from haicap.feedback.models import AgencyKind, Category, HandlerTier
from haicap.staff.access import scope_of
from haicap.units.models import AdminUnit, Tier


@dataclass(frozen=True)
class CategoryFields:
    code: str
    name: str
    description: str = ""
    group: str = ""
    handler_tier: str = HandlerTier.COMMUNE
    agency_kind: str = AgencyKind.COMMITTEE
    reply_days: int = 15
    is_complaint: bool = False
    is_active: bool = True
    order: int = 100


def _may_edit(actor: Actor, province: AdminUnit | None) -> bool:
    if is_system(actor):
        return True
    scope = scope_of(actor)
    if province is None:
        return scope.everything
    return scope.everything or province.pk in scope.administered_provinces


def _check(fields: CategoryFields) -> None:
    if not fields.name.strip() or len(fields.name) > 200:
        raise Invalid(_("Give the category a name (at most 200 characters)."), field="name")
    if not 1 <= fields.reply_days <= 90:
        raise Invalid(_("The reply deadline is 1 to 90 working days."), field="reply_days")
    if fields.handler_tier not in HandlerTier.values:
        raise Invalid(_("Choose who handles it."), field="handler_tier")
    if fields.agency_kind not in AgencyKind.values:
        raise Invalid(_("Choose the kind of agency."), field="agency_kind")
    if "\x00" in fields.name + fields.description + fields.group:
        raise Invalid(_("The text contains a NUL character."), field="name")


@transaction.atomic
def do_save_category(
    fields: CategoryFields, *, province: AdminUnit | None, actor: Actor
) -> Category:
    """Add or change a category of ``province`` (None: the national list)."""
    if province is not None and province.tier != Tier.PROVINCE:
        raise Invalid(_("Categories are changed by a province."), field="province")
    if not _may_edit(actor, province):
        raise NotFound(_("No such province."))
    _check(fields)
    values = {
        "name": fields.name.strip(),
        "description": fields.description.strip()[:500],
        "group": fields.group.strip()[:100],
        "handler_tier": fields.handler_tier,
        "agency_kind": fields.agency_kind,
        "reply_days": fields.reply_days,
        "is_complaint": fields.is_complaint,
        "is_active": fields.is_active,
        "order": fields.order,
    }
    existing = (
        Category.objects.select_for_update().filter(province=province, code=fields.code).first()
    )
    before = None
    if existing is None:
        category = Category.objects.create(province=province, code=fields.code, **values)
    else:
        before = {key: getattr(existing, key) for key in values}
        for key, value in values.items():
            setattr(existing, key, value)
        existing.save(update_fields=list(values))
        category = existing
    audit.record(
        "feedback.category_save",
        actor=actor,
        subject_type="feedback_category",
        subject_id=f"{province.code if province else 'VN'}:{fields.code}",
        unit_id=province.pk if province else None,
        before=before,
        after=values,
    )
    return category


def do_withdraw_category(code: str, *, province: AdminUnit, actor: Actor) -> Category:
    """The province stops offering a category (its reports stay as they are)."""
    national = Category.objects.filter(province=None, code=code).first()
    own = Category.objects.filter(province=province, code=code).first()
    base = own or national
    if base is None:
        raise NotFound(_("No such category."))
    fields = CategoryFields(
        code=code,
        name=base.name,
        description=base.description,
        group=base.group,
        handler_tier=base.handler_tier,
        agency_kind=base.agency_kind,
        reply_days=base.reply_days,
        is_complaint=base.is_complaint,
        is_active=False,
        order=base.order,
    )
    return do_save_category(fields, province=province, actor=actor)
