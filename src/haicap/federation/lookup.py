"""The national lookup: any dossier by code and secret, from the hub's synced copy.

It answers the same fields as a province's public lookup (portal/public.py) for the
dossier's state, so a citizen sees the same thing on either side.
"""

from __future__ import annotations

import hmac
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _

from haicap.core.calendar import ZONE
from haicap.core.errors import NotFound
from haicap.dossiers.models import Status
from haicap.federation.models import SyncedDossier
from haicap.federation.protocol import lookup_hash
from haicap.portal.access import counting_misses, guard
from haicap.portal.public import masked_name


def national_dossier(request: HttpRequest, code: str, secret: str) -> SyncedDossier:
    """The lookup through the same limiter as a province's (portal/access.py): the hub holds
    every province's secrets, so a wrong secret counts against the code and the client, and
    a guessing client is stopped while the dossier's owner still gets in."""
    guard(request, code)
    with counting_misses(request, code):
        return synced_dossier(code, secret)


def synced_dossier(code: str, secret: str) -> SyncedDossier:
    """The synced dossier if ``secret`` matches (constant time); NotFound otherwise."""
    code = code.strip()[:60]
    dossier = (
        SyncedDossier.objects.select_related("province__province", "unit").filter(code=code).first()
    )
    given = lookup_hash(settings.SECRET_KEY, code, secret[:20])
    expected = dossier.secret_hash if dossier else "-" * 64
    if dossier is None or not hmac.compare_digest(given, expected):
        raise NotFound(_("No dossier with this code and secret."), field="code")
    return dossier


def _local(value: Any) -> Any:
    return value.astimezone(ZONE) if value else None


def national_view(dossier: SyncedDossier) -> dict[str, Any]:
    return {
        "code": dossier.code,
        "procedure": {"code": dossier.procedure_code, "name": dossier.procedure_name},
        "applicant": masked_name(dossier.applicant_name),
        "status": dossier.status,
        "status_label": str(Status(dossier.status).label),
        "received_at": _local(dossier.received_at),
        "due_at": _local(dossier.due_at),
        "finished_at": _local(dossier.finished_at),
        "returned_at": _local(dossier.returned_at),
        "province": {"code": dossier.province.dstcode, "name": dossier.province.province.name},
        "unit": {"code": dossier.madonvi, "name": dossier.handling_unit},
        "version": dossier.version,
        "timeline": [
            {"at": _local(step.at), "text": step.content, "status": step.status}
            for step in dossier.progress.order_by("seq")
        ],
    }
