"""`haicap reorg plan-2025|import|override|list|preview|apply`: reorganisation plans."""

from __future__ import annotations

import datetime as dt
import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from haicap.core.actors import SYSTEM
from haicap.core.errors import DomainError
from haicap.reorg.actions import (
    do_add_plan_override,
    do_apply_plan,
    do_build_plan_2025,
    do_import_plan,
    do_preview_plan,
)
from haicap.reorg.models import ReorgPlan
from haicap.units.models import Tier
from haicap.units.queries import unit_by_code


class Command(BaseCommand):
    help = "Build, preview and apply reorganisation plans."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("plan-2025", help="the 1 July 2025 plan from the registry; prints its id")
        imp = sub.add_parser(
            "import", help="a plan from CSV/XLSX: predecessor,successor[,kind,default]"
        )
        imp.add_argument("file", type=Path)
        imp.add_argument("--name", required=True)
        imp.add_argument("--basis", default="", help="legal basis")
        imp.add_argument("--effective", required=True, type=dt.date.fromisoformat)
        override = sub.add_parser(
            "override", help="route a split unit's dossiers of a procedure or sector"
        )
        override.add_argument("plan", type=int)
        override.add_argument("--from", dest="predecessor", required=True)
        override.add_argument("--to", dest="successor", required=True)
        override.add_argument("--procedure")
        override.add_argument("--sector")
        sub.add_parser("list", help="the plans")
        preview = sub.add_parser("preview", help="what the plan would move")
        preview.add_argument("plan", type=int)
        preview.add_argument("--json", action="store_true")
        preview.add_argument("--province", help="only what goes to this (new) province")
        apply = sub.add_parser("apply", help="move the pending work (resumable)")
        apply.add_argument("plan", type=int)
        apply.add_argument("--province", help="only what goes to this (new) province")
        apply.add_argument("--batch-size", type=int, default=20_000)
        apply.add_argument("--max-batches", type=int, help="stop after this many batches")
        apply.add_argument(
            "--workers", type=int, help="batches moved at once (HAICAP_REORG_WORKERS, 2)"
        )
        apply.add_argument("--no-progress", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, "_" + options["action"].replace("-", "_"))(options)
        except DomainError as exc:
            raise CommandError(exc.message) from exc

    def _plan(self, options: dict[str, Any]) -> ReorgPlan:
        plan = ReorgPlan.objects.filter(pk=options["plan"]).first()
        if plan is None:
            raise CommandError(f"no plan {options['plan']} (see haicap reorg list)")
        return plan

    def _province(self, options: dict[str, Any]) -> int | None:
        if not options.get("province"):
            return None
        unit = unit_by_code(options["province"])
        if unit.tier != Tier.PROVINCE:
            raise CommandError(f"{options['province']} is not a province")
        return unit.pk

    def _plan_2025(self, options: dict[str, Any]) -> None:
        plan = do_build_plan_2025(actor=SYSTEM)
        self.stdout.write(f"plan {plan.name}: {plan.successions.count()} successions")
        self.stdout.write(str(plan.pk))

    def _import(self, options: dict[str, Any]) -> None:
        plan = do_import_plan(
            options["file"],
            name=options["name"],
            legal_basis=options["basis"],
            effective_date=options["effective"],
            actor=SYSTEM,
        )
        self.stdout.write(f"plan {plan.name}: {plan.successions.count()} successions")
        self.stdout.write(str(plan.pk))

    def _override(self, options: dict[str, Any]) -> None:
        do_add_plan_override(
            self._plan(options),
            predecessor=options["predecessor"],
            successor=options["successor"],
            procedure=options["procedure"],
            sector=options["sector"],
            actor=SYSTEM,
        )
        self.stdout.write("override added")

    def _list(self, options: dict[str, Any]) -> None:
        for plan in ReorgPlan.objects.order_by("pk"):
            self.stdout.write(
                f"{plan.pk}: {plan.name} · {plan.effective_date} · {plan.get_state_display()}"
            )

    def _preview(self, options: dict[str, Any]) -> None:
        summary = do_preview_plan(
            self._plan(options), actor=SYSTEM, province_id=self._province(options)
        )
        if options["json"]:
            self.stdout.write(json.dumps(summary, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{summary['name']}:")
        for total in summary["total_rows"]:
            self.stdout.write(f"  {total['label']}: {total['value']}")
        for tier, count in summary.get("district_dossiers_by_new_tier", {}).items():
            self.stdout.write(f"  district dossiers now handled at {tier}: {count}")
        for row in summary["cannot_be_placed"][:50]:
            self.stdout.write(
                f"  cannot place {row['kind']} {row['label']} ({row['unit']['name']}): "
                f"{row['reason']}"
            )

    def _apply(self, options: dict[str, Any]) -> None:
        result = do_apply_plan(
            self._plan(options),
            actor=SYSTEM,
            province_id=self._province(options),
            batch_size=options["batch_size"],
            max_batches=options["max_batches"],
            workers=max(1, options["workers"] or settings.REORG_WORKERS),
            progress=not options["no_progress"],
        )
        state = "finished" if result.finished else "stopped early; run again to resume"
        moved = ", ".join(f"{kind} {n}" for kind, n in result.moved_by_kind.items()) or "none"
        followed = ", ".join(f"{kind} {n}" for kind, n in result.followed.items() if n) or "none"
        self.stdout.write(
            f"{result.moved} items moved in {result.batches} batches ({moved}); "
            f"followed: {followed}; {result.units_closed} units closed; "
            f"{result.unplaced} cannot be placed ({state})"
        )
