from django.contrib import admin

from haicap.procedures.models import Procedure, ProcessStep, RequiredPaper


class RequiredPaperInline(admin.TabularInline[RequiredPaper, Procedure]):
    model = RequiredPaper
    extra = 0


class ProcessStepInline(admin.TabularInline[ProcessStep, Procedure]):
    model = ProcessStep
    extra = 0


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin[Procedure]):
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
