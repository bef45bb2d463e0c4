"""What the public sees of a dossier: its progress, never the applicant's personal numbers."""

from __future__ import annotations

import json
from typing import Any, cast

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from haicap.core.calendar import ZONE
from haicap.core.jsonenc import JSONEncoder
from haicap.dossiers.cache import public_key
from haicap.dossiers.models import Dossier, PaperStage, Status
from haicap.portal.timeline import plain_timeline


def masked_name(name: str) -> str:
    """Nguyễn Văn An -> N. V. An: the applicant recognises it, a passer-by learns little."""
    parts = name.split()
    if len(parts) <= 1:
        return name[:1] + "."
    return " ".join([*(part[0] + "." for part in parts[:-1]), parts[-1]])


def public_view(dossier: Dossier) -> dict[str, Any]:
    events = list(dossier.events.order_by("seq"))
    last_request = next((e for e in reversed(events) if e.action == "request_supplement"), None)
    results = [p for p in dossier.papers.all() if p.stage == PaperStage.RESULT]
    rated = hasattr(dossier, "rating") and dossier.rating is not None
    return {
        "code": dossier.code,
        "procedure": {"code": dossier.procedure.code, "name": dossier.procedure.name},
        "applicant": masked_name(dossier.applicant_name),
        "status": dossier.status,
        "status_label": str(Status(dossier.status).label),
        "submitted_at": _local(dossier.submitted_at),
        "received_at": _local(dossier.received_at),
        "due_at": _local(dossier.due_at),
        "finished_at": _local(dossier.finished_at),
        "returned_at": _local(dossier.returned_at),
        "overdue": dossier.is_overdue(timezone.now()),
        "fee": dossier.fee,
        "fee_paid": dossier.fee_paid,
        "centre": {"code": dossier.receiving_centre.code, "name": dossier.receiving_centre.name},
        "supplement_requested": (
            {"missing": last_request.data.get("missing", []), "reason": last_request.note}
            if dossier.status == Status.SUPPLEMENT_REQUESTED and last_request
            else None
        ),
        "electronic_results": [{"id": p.pk, "name": p.name, "size": p.size} for p in results],
        "can_rate": dossier.status == Status.RETURNED and not rated,
        "rated": rated,
        "timeline": [
            {"at": step.at, "text": step.text, "detail": step.detail}
            for step in plain_timeline(events)
        ],
    }


def _local(value: Any) -> Any:
    return value.astimezone(ZONE) if value else None


def lookup_json(code: str, secret: str, language: str, load: Any) -> bytes:
    """JSON bytes for the public lookup: checked against the secret, cached a few seconds.

    ``load(code, secret)`` is the access helper; it raises NotFound for a wrong pair.
    """
    import hmac

    from haicap.portal.access import not_found

    key = f"{public_key(code)}:{language}"
    entry = cache.get(key) if settings.PUBLIC_LOOKUP_CACHE_SECONDS else None
    if entry is not None:
        expected, body = entry
        if not hmac.compare_digest(secret.strip().upper().encode(), expected.encode()):
            raise not_found()
        return cast(bytes, body)
    dossier = load(code, secret)
    body = json.dumps(public_view(dossier), cls=JSONEncoder, ensure_ascii=False).encode()
    if settings.PUBLIC_LOOKUP_CACHE_SECONDS:
        cache.set(key, (dossier.secret, body), settings.PUBLIC_LOOKUP_CACHE_SECONDS)
    return body
