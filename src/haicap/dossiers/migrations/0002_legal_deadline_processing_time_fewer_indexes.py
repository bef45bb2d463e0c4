"""The legal deadline and the processing time of each dossier (for the service index), and
fewer indexes on the dossier table: foreign keys read through composite indexes, or never
filtered on, lose their own index, since every index is written on every change."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# Dossiers accepted before this migration: the legal deadline is the due date unless an
# apology moved it, in which case it is the due date the first apology replaced.
BACKFILL_LEGAL_DUE = """
UPDATE dossiers_dossier d SET legal_due_at = COALESCE(
    (SELECT (e.data->>'previous_due_at')::timestamptz FROM dossiers_dossierevent e
     WHERE e.dossier_id = d.id AND e.action = 'apologise' ORDER BY e.seq LIMIT 1),
    d.due_at)
WHERE d.due_at IS NOT NULL
"""


def backfill_processing_time(apps, schema_editor):
    """Office time from receipt to the end, supplement waiting excluded, in batches."""
    from haicap.core.calendar import WorkingCalendar

    CalendarDay = apps.get_model("core", "CalendarDay")
    Dossier = apps.get_model("dossiers", "Dossier")
    clock = WorkingCalendar(
        {day.day: day.kind == "working" for day in CalendarDay.objects.all()},
        office_open=settings.OFFICE_OPEN,
        office_close=settings.OFFICE_CLOSE,
        same_day_cutoff=settings.SAME_DAY_CUTOFF,
    )
    pending = Dossier.objects.filter(
        received_at__isnull=False, finished_at__isnull=False, working_seconds__isnull=True
    ).order_by("id")
    last = 0
    while True:
        batch = list(pending.filter(id__gt=last)[:5000])
        if not batch:
            return
        for dossier in batch:
            worked = clock.working_seconds(dossier.received_at, dossier.finished_at)
            dossier.working_seconds = max(0, worked - dossier.paused_seconds)
        Dossier.objects.bulk_update(batch, ["working_seconds"])
        last = batch[-1].id


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_calendarday_apitoken_roleassignment"),
        ("dossiers", "0001_initial"),
        ("procedures", "0001_initial"),
        ("units", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="dossier",
            name="legal_due_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="legal deadline"),
        ),
        migrations.AddField(
            model_name="dossier",
            name="working_seconds",
            field=models.PositiveIntegerField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name="dossier",
            name="applicant_unit",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="units.adminunit",
            ),
        ),
        migrations.AlterField(
            model_name="dossier",
            name="assignee",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="dossier",
            name="code",
            field=models.CharField(max_length=60, verbose_name="dossier code"),
        ),
        migrations.AlterField(
            model_name="dossier",
            name="created_by",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="dossier",
            name="idempotency_key",
            field=models.CharField(blank=True, max_length=200, null=True),
        ),
        migrations.AlterField(
            model_name="dossier",
            name="procedure",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="dossiers",
                to="procedures.procedure",
            ),
        ),
        migrations.AlterField(
            model_name="dossier",
            name="province",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="units.adminunit",
            ),
        ),
        migrations.AlterField(
            model_name="dossier",
            name="receiving_centre",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="dossiers",
                to="units.servicecenter",
            ),
        ),
        migrations.AlterField(
            model_name="dossier",
            name="responsible_unit",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="units.adminunit",
            ),
        ),
        migrations.AlterField(
            model_name="dossierevent",
            name="dossier",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="events",
                to="dossiers.dossier",
            ),
        ),
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(
                fields=["province", "procedure", "received_at"],
                name="dossier_province_proc_received",
            ),
        ),
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(
                fields=["province", "procedure", "finished_at"],
                name="dossier_province_proc_finished",
            ),
        ),
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(
                fields=["responsible_unit", "received_at"], name="dossier_responsible_received"
            ),
        ),
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(
                fields=["responsible_unit", "finished_at"], name="dossier_responsible_finished"
            ),
        ),
        migrations.AddConstraint(
            model_name="dossier",
            constraint=models.UniqueConstraint(fields=("code",), name="dossier_code_unique"),
        ),
        migrations.AddConstraint(
            model_name="dossier",
            constraint=models.UniqueConstraint(
                condition=models.Q(("idempotency_key__isnull", False)),
                fields=("idempotency_key",),
                name="dossier_idempotency_unique",
            ),
        ),
        migrations.RunSQL(BACKFILL_LEGAL_DUE, migrations.RunSQL.noop),
        migrations.RunPython(backfill_processing_time, migrations.RunPython.noop),
    ]
