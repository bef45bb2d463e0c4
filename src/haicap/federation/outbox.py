"""Delivering the outbox: pending changes sent to the hub in batches, in order of commit.

The trigger of migration 0002 writes one row per timeline event in the change's own
transaction and enqueues the push job (``tasks.push``). The job takes due rows under
``SKIP LOCKED``, sends each dossier's current state (DongBoHoSoMC) and the steps
(CapNhatTienDoHoSoMC), and marks them sent. An unreachable hub only delays rows (backoff,
never a dead letter); a refusal of one dossier sets that dossier's rows aside and, after
``FEDERATION_MAX_ATTEMPTS``, into the dead letters, without holding back the others.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from haicap.dossiers.models import Dossier, DossierEvent
from haicap.federation import payload
from haicap.federation.client import HubClient, HubUnavailable, Refused
from haicap.federation.models import OutboxItem, OutboxState
from haicap.federation.protocol import ErrorCode

# Longest wait between two tries of an unreachable hub: a backlog drains soon after it returns.
MAX_BACKOFF = 300


@dataclass
class DrainResult:
    sent: int = 0
    refused: int = 0
    dead: int = 0
    # When the hub was unreachable: when to try again.
    retry_at: dt.datetime | None = None
    errors: list[str] = field(default_factory=list)


# Refusals of the call itself (credentials, key, clock, session): the changes wait for the
# link to be fixed; they are not the dossiers' fault and never become dead letters.
LINK_REFUSALS = frozenset(
    {ErrorCode.LOGIN_FAILED, ErrorCode.BAD_SIGNATURE, ErrorCode.REPLAY, ErrorCode.SESSION}
)


def backoff(attempts: int) -> dt.timedelta:
    return dt.timedelta(seconds=min(MAX_BACKOFF, 5 * 2 ** min(attempts, 10)))


def drain(
    client: HubClient | None = None, *, max_batches: int | None = None, waiting_too: bool = False
) -> DrainResult:
    """Send due rows until none is left (or the hub stops answering). ``waiting_too``: also
    the rows still waiting out their backoff (an operator's push once the link is fixed)."""
    client = client or HubClient.shared()
    result = DrainResult()
    if client is None:
        return result
    if waiting_too:
        # Due now, once: a row the hub refuses in this push waits out its backoff again.
        OutboxItem.objects.filter(
            state=OutboxState.PENDING, next_attempt_at__gt=timezone.now()
        ).update(next_attempt_at=timezone.now())
    codes = payload.agency_codes()
    batches = 0
    while max_batches is None or batches < max_batches:
        batches += 1
        with transaction.atomic():
            rows = list(
                OutboxItem.objects.select_for_update(skip_locked=True)
                .filter(state=OutboxState.PENDING, next_attempt_at__lte=timezone.now())
                .order_by("id")[: settings.FEDERATION_BATCH]
            )
            if not rows:
                break
            try:
                refused = send(client, rows, codes)
            except HubUnavailable as exc:
                result.retry_at = _postpone(rows, str(exc))
                result.errors.append(str(exc))
                break
            _settle(rows, refused, result)
    return result


def send(client: HubClient, rows: list[OutboxItem], codes: dict[int, str]) -> dict[int, str]:
    """Push the rows' dossiers and steps; returns the refused dossier ids with the reason."""
    dossier_ids = sorted({row.dossier_id for row in rows})
    known = Dossier.objects.filter(pk__in=dossier_ids).values_list("pk", "code", "province_id")
    province_of = {pk: province for pk, _code, province in known}
    by_code = {code: pk for pk, code, _province in known}
    items = payload.dossiers(dossier_ids, codes=codes)
    refused: dict[int, str] = {}
    groups: dict[str, list[dict[str, object]]] = defaultdict(list)
    for item in items:
        groups[codes[province_of[by_code[str(item["MaHoSo"])]]]].append(item)
    first_seen = {row.dossier_id for row in rows if row.seq == 1}
    for madonvi, group in groups.items():
        refused |= _push(client, "DongBoHoSoMC", madonvi, group, by_code, first_seen)
    events = list(
        DossierEvent.objects.filter(pk__in=[row.event_id for row in rows])
        .exclude(dossier_id__in=refused)
        .order_by("dossier_id", "seq")
    )
    code_of = {pk: code for code, pk in by_code.items()}
    steps: dict[str, list[dict[str, object]]] = defaultdict(list)
    for step, event in zip(payload.progress(events, code_of), events, strict=True):
        steps[codes[province_of[event.dossier_id]]].append(step)
    for madonvi, group in steps.items():
        refused |= _push(client, "CapNhatTienDoHoSoMC", madonvi, group, by_code, set())
    return refused


def _push(
    client: HubClient,
    service: str,
    madonvi: str,
    data: list[dict[str, object]],
    by_code: dict[str, int],
    first_seen: set[int],
) -> dict[int, str]:
    """Send ``data``; an item the hub refuses is taken out and the rest sent again."""
    refused: dict[int, str] = {}
    while data:
        extra = {}
        if service == "DongBoHoSoMC":
            extra["isUpdating"] = not all(by_code[str(i["MaHoSo"])] in first_seen for i in data)
        try:
            client.call(service, madonvi, data=data, **extra)
            return refused
        except Refused as refusal:
            if refusal.code in LINK_REFUSALS:
                # The link, not the dossiers: wait and try again, never a dead letter.
                raise HubUnavailable(str(refusal)) from None
            if refusal.index is None or not 0 <= refusal.index < len(data):
                for item in data:
                    refused[by_code[str(item["MaHoSo"])]] = str(refusal)
                return refused
            bad = data[refusal.index]
            refused[by_code[str(bad["MaHoSo"])]] = str(refusal)
            data = [item for item in data if item["MaHoSo"] != bad["MaHoSo"]]
    return refused


def waiting_because() -> str | None:
    """Why changes wait (a wrong key, the hub down): the newest reason among pending rows."""
    return (
        OutboxItem.objects.filter(state=OutboxState.PENDING)
        .exclude(last_error="")
        .order_by("-next_attempt_at")
        .values_list("last_error", flat=True)
        .first()
    )


def _postpone(rows: list[OutboxItem], reason: str) -> dt.datetime:
    """The link failed, not the rows: they wait longer the longer they have waited (up to
    MAX_BACKOFF), and their refusals (``attempts``, which lead to a dead letter) stay as
    they were."""
    now = timezone.now()
    for row in rows:
        waited = (now - row.created_at).total_seconds()
        row.next_attempt_at = now + dt.timedelta(seconds=min(MAX_BACKOFF, max(10.0, waited / 2)))
        row.last_error = f"hub unavailable: {reason}"[:300]
    OutboxItem.objects.bulk_update(rows, ["next_attempt_at", "last_error"])
    return min(row.next_attempt_at for row in rows)


def _settle(rows: list[OutboxItem], refused: dict[int, str], result: DrainResult) -> None:
    now = timezone.now()
    sent = [row.pk for row in rows if row.dossier_id not in refused]
    OutboxItem.objects.filter(pk__in=sent).update(
        state=OutboxState.SENT, sent_at=now, last_error=""
    )
    result.sent += len(sent)
    changed = []
    for row in rows:
        if row.dossier_id not in refused:
            continue
        row.attempts += 1
        row.last_error = refused[row.dossier_id][:300]
        if row.attempts >= settings.FEDERATION_MAX_ATTEMPTS:
            row.state = OutboxState.DEAD
            result.dead += 1
        else:
            row.next_attempt_at = now + backoff(row.attempts)
            result.refused += 1
        changed.append(row)
    OutboxItem.objects.bulk_update(changed, ["attempts", "last_error", "state", "next_attempt_at"])
