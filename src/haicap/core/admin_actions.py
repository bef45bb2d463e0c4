"""Django admin pages whose changes go through the owning app's actions, or none at all.

The admin saves inside one transaction per request; an ``ActionAdmin`` hands each save and
delete to an action, which writes the change and its audit row, so an edit made in the admin
is audited like any other. Models whose changes have no action are shown read-only.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.forms import BaseModelFormSet, ModelForm
from django.http import HttpRequest

from haicap.core.actors import Actor

M = TypeVar("M", bound=Model)


class ReadOnlyAdmin(admin.ModelAdmin[M], Generic[M]):
    """Shown, searched and filtered; never added, changed or deleted here."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class ActionAdmin(admin.ModelAdmin[M], Generic[M]):
    """Saves and deletes through ``save_with_action`` and ``delete_with_action``."""

    def save_with_action(self, obj: M, *, changed: list[str], created: bool, actor: Actor) -> None:
        raise NotImplementedError

    def delete_with_action(self, obj: M, *, actor: Actor) -> None:
        raise NotImplementedError

    def save_model(self, request: HttpRequest, obj: M, form: ModelForm[M], change: bool) -> None:
        self.save_with_action(
            obj, changed=list(form.changed_data), created=not change, actor=request.user
        )

    def delete_model(self, request: HttpRequest, obj: M) -> None:
        self.delete_with_action(obj, actor=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[M]) -> None:
        for obj in queryset:
            self.delete_with_action(obj, actor=request.user)

    def save_formset(
        self, request: HttpRequest, form: Any, formset: BaseModelFormSet[Any, Any], change: bool
    ) -> None:
        """Inline rows: refused unless the admin class says how (``save_parts_with_action``)."""
        self.save_parts_with_action(form.instance, formset, actor=request.user)

    def save_parts_with_action(
        self, parent: M, formset: BaseModelFormSet[Any, Any], *, actor: Actor
    ) -> None:
        if formset.has_changed():
            raise NotImplementedError(f"{type(self).__name__} has no action for its inlines")
