"""Taking over the previous system's dossiers (`haicap dossiers import`): every row checked
first, then all valid ones written with their first event and audit row (history.write_new),
or none if any row is refused (unless the caller skips invalid rows)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from tqdm import tqdm

from haicap.core import audit
from haicap.core.actors import Actor
from haicap.dossiers import history
from haicap.dossiers.importer import ImportReport, build_all, check_rows


def do_import_dossiers(
    rows: Iterable[tuple[int, dict[str, str]]],
    *,
    actor: Actor,
    skip_invalid: bool = False,
    source: str = "",
    chunk: int = 2_000,
    progress: bool = False,
) -> ImportReport:
    rows = list(rows)
    report = ImportReport()
    valid = check_rows(rows, report, progress=progress)
    if report.refused and not skip_invalid:
        return report
    label = audit.actor_label(actor)
    with (
        transaction.atomic(),
        tqdm(total=len(valid), desc="import", unit="dossiers", disable=not progress) as bar,
    ):
        for start in range(0, len(valid), chunk):
            built = build_all(valid[start : start + chunk], label)
            # A citizen's record was created: one audit row each, as for any other change.
            history.write_new(built, actor=actor, audit_after={"source": source[:60]})
            bar.update(len(built))
        audit.record(
            "dossiers.import",
            actor=actor,
            subject_type="import",
            subject_id=source[:60],
            after={
                "checked": report.checked,
                "imported": len(valid),
                "refused": len(report.refused),
            },
        )
    report.imported = len(valid)
    return report
