"""Reports, categories and history steps as Open311 GeoReport v2 (and FixMyStreet) objects.

Nothing personal goes out: no name, phone, e-mail or ID; the answer is published only for
public reports, which are the only ones listed.
"""

from __future__ import annotations

from typing import Any

from django.db.models import F, OuterRef, QuerySet, Subquery
from django.urls import reverse

from haicap.feedback.models import OPEN, Category, Photo, Report, ReportEvent, Status
from haicap.feedback.open311.render import w3c

# FixMyStreet's extended states for service request updates.
FMS_STATES = {
    "file": "open",
    "assign": "open",
    "locate": "open",
    "start": "in_progress",
    "wait": "investigating",
    "resume": "in_progress",
    "transfer": "internal_referral",
    "escalate": "internal_referral",
    "handover": "internal_referral",
    "answer": "fixed",
    "close": "closed",
    "reopen": "reopen",
    "merge": "duplicate",
}

REQUEST_FIELDS = (
    "id",
    "code",
    "status",
    "answer",
    "description",
    "address",
    "latitude",
    "longitude",
    "media_url",
    "received_at",
    "updated_at",
    "due_at",
    "service_code",
    "service_name",
    "unit_name",
    "unit_code",
    "named_code",
    "photo_id",
)


def service(category: Category) -> dict[str, Any]:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.description or category.name,
        "metadata": True,
        "type": "realtime",
        "keywords": category.group,
        "group": category.group,
    }


def definition(category: Category) -> dict[str, Any]:
    attributes: list[dict[str, Any]] = [
        {
            "variable": True,
            "code": "public",
            "datatype": "singlevaluelist",
            "required": False,
            "datatype_description": "yes: the report and its answer appear on the public list",
            "order": 1,
            "description": "Công khai phản ánh và câu trả lời",
            "values": [{"key": "yes", "name": "Có"}, {"key": "no", "name": "Không"}],
        }
    ]
    if category.is_complaint:
        attributes.append(
            {
                "variable": True,
                "code": "dossier_code",
                "datatype": "string",
                "required": True,
                "datatype_description": "The code on the dossier's receipt",
                "order": 2,
                "description": "Mã hồ sơ thủ tục hành chính",
            }
        )
    return {"service_code": category.code, "attributes": attributes}


def request_rows(found: QuerySet[Report]) -> list[dict[str, Any]]:
    """The fields the answer needs, in one query (no model instances)."""
    first_photo = Photo.objects.filter(report=OuterRef("pk")).order_by("id").values("id")[:1]
    rows = found.annotate(
        service_code=F("category__code"),
        service_name=F("category__name"),
        unit_name=F("unit__name"),
        unit_code=F("unit__code"),
        named_code=F("named_unit__code"),
        photo_id=Subquery(first_photo),
    ).values(*REQUEST_FIELDS)
    return list(rows)


def request(row: dict[str, Any], base: str) -> dict[str, Any]:
    is_open = row["status"] in OPEN
    notes = ""
    if row["status"] == Status.MERGED:
        notes = "Trùng với phản ánh khác; đã gộp."
    elif not is_open:
        notes = row["answer"]
    media = row["media_url"]
    if not media and row["photo_id"]:
        media = base + reverse("feedback_public:photo", args=[row["photo_id"]])
    return {
        "service_request_id": row["code"],
        "status": "open" if is_open else "closed",
        "status_notes": notes,
        "service_name": row["service_name"],
        "service_code": row["service_code"],
        "description": row["description"],
        "agency_responsible": row["unit_name"],
        "agency_code": row["unit_code"],
        "service_notice": "",
        "requested_datetime": w3c(row["received_at"]),
        "updated_datetime": w3c(row["updated_at"]),
        "expected_datetime": w3c(row["due_at"]),
        "address": row["address"],
        "address_id": row["named_code"] or row["unit_code"],
        "zipcode": "",
        "lat": row["latitude"],
        "long": row["longitude"],
        "media_url": media,
        "extended_attributes": {"haicap_status": row["status"]},
    }


def update(step: ReportEvent) -> dict[str, Any]:
    """FixMyStreet's service request update; the note only when the report is public."""
    report = step.report
    return {
        "update_id": str(step.pk),
        "service_request_id": report.code,
        "status": FMS_STATES.get(step.action, "open"),
        "updated_datetime": w3c(step.at),
        "description": step.note if step.action in ("answer", "merge") else "",
        "media_url": "",
    }
