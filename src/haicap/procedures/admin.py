from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.forms import BaseModelFormSet

from haicap.core.actors import Actor
from haicap.core.admin_actions import ActionAdmin, ReadOnlyAdmin
from haicap.procedures.actions import do_save_procedure, do_save_procedure_parts
from haicap.procedures.models import Procedure, ProcedureForm, ProcessStep, RequiredPaper


class RequiredPaperInline(admin.TabularInline[RequiredPaper, Procedure]):
    model = RequiredPaper
    extra = 0


class ProcessStepInline(admin.TabularInline[ProcessStep, Procedure]):
    model = ProcessStep
    extra = 0


@admin.register(Procedure)
class ProcedureAdmin(ActionAdmin[Procedure]):
    """Every edit is audited: fees and deadlines change what dossiers owe and when."""

    list_display = [
        "code",
        "name",
        "sector",
        "competent_tier",
        "time_kind",
        "time_days",
        "fee_kind",
    ]
    list_filter = ["sector", "competent_tier", "online_level", "filing_anywhere", "is_active"]
    search_fields = ["code", "name", "search_key"]
    inlines = [RequiredPaperInline, ProcessStepInline]

    def save_with_action(
        self, obj: Procedure, *, changed: list[str], created: bool, actor: Actor
    ) -> None:
        do_save_procedure(obj, changed=changed, created=created, actor=actor)

    def delete_with_action(self, obj: Procedure, *, actor: Actor) -> None:
        raise PermissionError("a procedure is withdrawn (not active), never deleted")

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False  # dossiers name their procedure; withdraw it instead

    def save_parts_with_action(
        self, parent: Procedure, formset: BaseModelFormSet[Any, Any], *, actor: Actor
    ) -> None:
        do_save_procedure_parts(parent, formset, actor=actor)


@admin.register(ProcedureForm)
class ProcedureFormAdmin(ReadOnlyAdmin[ProcedureForm]):
    """Versions are added by `haicap setup` or do_save_form, never edited: dossiers keep theirs."""

    list_display = ["procedure", "version", "created_at"]
    list_filter = ["procedure__sector"]
    search_fields = ["procedure__code", "procedure__name"]
