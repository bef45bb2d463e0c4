"""`haicap sync status|retry|push|catalogue|reconcile|map|province`: the national sync."""

from __future__ import annotations

import datetime as dt
import json
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count, Min
from django.utils import timezone

from haicap.core.actors import SYSTEM
from haicap.core.calendar import ZONE
from haicap.core.errors import DomainError
from haicap.federation import actions, catalogue, outbox, reconcile
from haicap.federation.client import HubClient, HubUnavailable, Refused
from haicap.federation.models import OutboxItem, OutboxState
from haicap.procedures.models import Procedure


class Command(BaseCommand):
    help = "Sync with the national portal (province) or manage connected provinces (hub)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        status = sub.add_parser("status", help="the outbox: waiting, sent, refused")
        status.add_argument("--json", action="store_true")
        retry = sub.add_parser("retry", help="queue the dead letters again")
        retry.add_argument("--id", type=int, action="append", help="only these rows")
        sub.add_parser("push", help="send every waiting change now, in this process")
        sub.add_parser("catalogue", help="pull the national catalogue and map local codes")
        rec = sub.add_parser("reconcile", help="compare a day's counts with the hub")
        rec.add_argument("--day", help="YYYY-MM-DD (default: yesterday)")
        rec.add_argument("--resend", action="store_true", help="re-send what differs")
        mapping = sub.add_parser("map", help="set a local procedure's national code")
        mapping.add_argument("procedure")
        mapping.add_argument("national_code")
        province = sub.add_parser("province", help="hub: connect a province's system")
        province.add_argument("code", help="the province's official code, e.g. 01")
        province.add_argument("--dstcode", required=True)
        province.add_argument("--username", required=True)
        province.add_argument("--password", required=True)
        province.add_argument("--key", help="the signing key (default: a new one, printed)")
        province.add_argument("--portal-url", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"do_{options['action']}")(options)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        except HubUnavailable as exc:
            raise CommandError(f"The hub did not answer: {exc}") from exc
        except Refused as exc:
            raise CommandError(f"The hub refused: {exc}") from exc

    def _client(self) -> HubClient:
        client = HubClient.from_settings()
        if client is None:
            raise CommandError("HAICAP_FEDERATION_HUB_URL is not set (or this is a hub).")
        return client

    def _madonvi(self) -> str:
        code = reconcile.madonvi()
        if code is None:
            raise CommandError(f"No province with agency code for {settings.FEDERATION_DSTCODE}.")
        return code

    def do_status(self, options: dict[str, Any]) -> None:
        counts = dict(OutboxItem.objects.values_list("state").annotate(n=Count("id")))
        oldest = OutboxItem.objects.filter(state=OutboxState.PENDING).aggregate(
            at=Min("created_at")
        )["at"]
        figures = {
            "pending": counts.get(OutboxState.PENDING, 0),
            "sent": counts.get(OutboxState.SENT, 0),
            "dead": counts.get(OutboxState.DEAD, 0),
            "oldest_pending_seconds": (
                round((timezone.now() - oldest).total_seconds(), 1) if oldest else None
            ),
            "hub": settings.FEDERATION_HUB_URL or None,
            "waiting_because": outbox.waiting_because(),
        }
        if options["json"]:
            self.stdout.write(json.dumps(figures))
            return
        for name, value in figures.items():
            self.stdout.write(f"{name}: {value}")
        for row in OutboxItem.objects.filter(state=OutboxState.DEAD).select_related("dossier")[:20]:
            self.stdout.write(f"  dead #{row.pk} {row.dossier.code} v{row.seq}: {row.last_error}")

    def do_retry(self, options: dict[str, Any]) -> None:
        count = actions.do_retry_dead(options["id"], actor=SYSTEM)
        self.stdout.write(f"{count} changes queued again")

    def do_push(self, options: dict[str, Any]) -> None:
        result = outbox.drain(self._client(), waiting_too=True)
        self.stdout.write(
            f"sent {result.sent}, refused {result.refused}, dead {result.dead}"
            + (f", hub unavailable: retry at {result.retry_at:%H:%M:%S}" if result.retry_at else "")
        )

    def do_catalogue(self, options: dict[str, Any]) -> None:
        result = catalogue.pull(self._client(), self._madonvi(), actor=SYSTEM)
        self.stdout.write(
            f"national catalogue: {result.national} procedures; mapped by code "
            f"{result.mapped_by_code}, by name {result.mapped_by_name}, kept {result.kept}; "
            f"unmapped: {', '.join(result.unmapped) or 'none'}"
        )

    def do_reconcile(self, options: dict[str, Any]) -> None:
        if options["day"]:
            try:
                day = dt.date.fromisoformat(options["day"])
            except ValueError:
                raise CommandError("--day must be YYYY-MM-DD.") from None
        else:
            day = timezone.now().astimezone(ZONE).date() - dt.timedelta(days=1)
        record = reconcile.check(self._client(), self._madonvi(), day, actor=SYSTEM)
        for difference in record.differences:
            self.stdout.write(json.dumps(difference, ensure_ascii=False))
        self.stdout.write(f"{day}: {len(record.differences)} differences")
        if options["resend"] and record.differences:
            count = reconcile.resend(record, actor=SYSTEM)
            self.stdout.write(f"{count} steps queued again")

    def do_map(self, options: dict[str, Any]) -> None:
        procedure = Procedure.objects.filter(code=options["procedure"]).first()
        if procedure is None:
            raise CommandError(f"No procedure {options['procedure']}.")
        catalogue.do_map_procedure(procedure, options["national_code"], actor=SYSTEM)
        self.stdout.write(f"{procedure.code} -> {options['national_code']}")

    def do_province(self, options: dict[str, Any]) -> None:
        province, key = actions.do_register_province(
            options["code"],
            dstcode=options["dstcode"],
            username=options["username"],
            password=options["password"],
            key=options["key"],
            portal_url=options["portal_url"],
            actor=SYSTEM,
        )
        self.stdout.write(f"{province.dstcode} connected; signing key: {key}")
