"""Role assignments and API tokens, moved here from the core app.

Databases made before the move hold them as core_roleassignment and core_apitoken (created
by core's migration 0002): those tables are renamed, rows kept. New databases get them made.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

MOVED = {"RoleAssignment": "core_roleassignment", "ApiToken": "core_apitoken"}


def adopt_or_create(apps, schema_editor):
    existing = set(schema_editor.connection.introspection.table_names())
    for name, old_table in MOVED.items():
        model = apps.get_model("staff", name)
        if old_table in existing:
            schema_editor.execute(f"ALTER TABLE {old_table} RENAME TO {model._meta.db_table}")
        else:
            schema_editor.create_model(model)


def drop(apps, schema_editor):
    for name in MOVED:
        schema_editor.delete_model(apps.get_model("staff", name))


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("core", "0002_calendarday_apitoken_roleassignment"),
        ("units", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ApiToken",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("name", models.CharField(blank=True, max_length=100, verbose_name="name")),
                        ("prefix", models.CharField(max_length=12)),
                        ("key_hash", models.CharField(max_length=64, unique=True)),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("last_used_at", models.DateTimeField(blank=True, null=True)),
                        ("revoked_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="api_tokens",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={"verbose_name": "API token", "verbose_name_plural": "API tokens"},
                ),
                migrations.CreateModel(
                    name="RoleAssignment",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "role",
                            models.CharField(
                                choices=[
                                    ("receiver", "Receiver"),
                                    ("specialist", "Specialist"),
                                    ("leader", "Leader (signer)"),
                                    ("clerk", "Clerk"),
                                    ("province_admin", "Provincial administrator"),
                                    ("auditor", "Auditor"),
                                ],
                                max_length=20,
                                verbose_name="role",
                            ),
                        ),
                        ("is_active", models.BooleanField(default=True, verbose_name="active")),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        (
                            "unit",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="role_assignments",
                                to="units.adminunit",
                                verbose_name="unit",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="role_assignments",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "role assignment",
                        "verbose_name_plural": "role assignments",
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("user", "unit", "role"), name="role_unique"
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(adopt_or_create, drop),
    ]
