"""The national list of categories and what a province offers (its own rows over the national)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from haicap.core.actors import SYSTEM
from haicap.core.errors import NotFound
from haicap.feedback.models import AgencyKind, Category, HandlerTier
from haicap.units.models import AdminUnit

# code, name, group, handled at, agency, reply days, complaint about a procedure
NATIONAL: tuple[tuple[str, str, str, str, str, int, bool], ...] = (
    ("moi-truong", "Môi trường, rác thải", "Đô thị", "commune", "environment", 15, False),
    ("giao-thong", "Đường sá, chiếu sáng", "Đô thị", "commune", "transport", 15, False),
    ("trat-tu", "Trật tự công cộng", "An ninh, trật tự", "commune", "police", 10, False),
    ("dat-dai", "Đất đai, xây dựng", "Đất đai", "commune", "construction", 15, False),
    ("thai-do", "Thái độ của cán bộ, công chức", "Công vụ", "province", "inspection", 15, False),
    (
        "khieu-nai-tthc",
        "Phản ánh về thủ tục hành chính (kèm mã hồ sơ)",
        "Công vụ",
        "commune",
        "service_centre",
        15,
        True,
    ),
    ("kien-nghi", "Kiến nghị về chính sách", "Kiến nghị", "province", "committee", 20, False),
)


def seed_categories() -> int:
    """Create the national categories that are missing (a second run changes nothing)."""
    from haicap.feedback.actions import CategoryFields, do_save_category

    existing = set(Category.objects.filter(province=None).values_list("code", flat=True))
    created = 0
    for order, (code, name, group, tier, agency, days, complaint) in enumerate(NATIONAL):
        if code in existing:
            continue
        do_save_category(
            CategoryFields(
                code=code,
                name=name,
                group=group,
                handler_tier=HandlerTier(tier),
                agency_kind=AgencyKind(agency),
                reply_days=days,
                is_complaint=complaint,
                order=(order + 1) * 10,
            ),
            province=None,
            actor=SYSTEM,
        )
        created += 1
    return created


def offered(province: AdminUnit | None) -> list[Category]:
    """The active categories of ``province`` (the national list when None), in order."""
    national = {c.code: c for c in Category.objects.filter(province=None)}
    if province is not None:
        for own in Category.objects.filter(province=province):
            national[own.code] = own
    return sorted((c for c in national.values() if c.is_active), key=lambda c: (c.order, c.code))


def category(code: str, province: AdminUnit | None) -> Category:
    """The active category ``code`` where the report is filed; NotFound otherwise."""
    code = code.strip()[:40]
    found = None
    if province is not None:
        found = Category.objects.filter(province=province, code=code).first()
    if found is None:
        found = Category.objects.filter(province=None, code=code).first()
    if found is None or not found.is_active:
        raise NotFound(_("No service has code %(code)s.") % {"code": code}, field="service_code")
    return found
