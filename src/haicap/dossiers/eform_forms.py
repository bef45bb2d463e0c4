"""An e-form definition as fields of a Django form (the portal's filing, the counter intake).

The fields only carry what was typed: every rule is applied by
``procedures.forms_schema.check_values``, the same code the API uses, so a page and the API
never disagree. A section or field shown ``when`` another has a value carries ``data-when``
attributes; dossiers/static/dossiers/eform.js hides it while the condition is false, and
without JavaScript everything is shown and the server ignores what does not apply.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django import forms

from haicap.procedures.forms_schema import Condition, FieldDef, FormDefinition, Section


def _when(condition: Condition | None) -> str:
    if condition is None:
        return ""
    values: list[Any] = list(condition.one_of or []) or [condition.equals]
    return json.dumps({"field": condition.field, "values": values}, ensure_ascii=False)


def _widget(spec: FieldDef, attrs: dict[str, Any]) -> forms.Widget:
    if spec.type == "checkbox":
        return forms.CheckboxInput(attrs=attrs)
    if spec.type == "choice":
        options = [("", "—"), *((c.value, c.label) for c in spec.choices)]
        return forms.Select(attrs=attrs, choices=options)
    if spec.type == "date":
        return forms.DateInput(attrs={**attrs, "type": "date"})
    if spec.type == "number":
        bounds = {k: v for k, v in (("min", spec.min), ("max", spec.max)) if v is not None}
        return forms.NumberInput(attrs={**attrs, **bounds})
    attrs = {**attrs, "maxlength": spec.max_length}
    if spec.type == "id_number":
        attrs.update({"inputmode": "numeric", "maxlength": 12, "autocomplete": "off"})
    if spec.type == "textarea":
        return forms.Textarea(attrs={**attrs, "rows": 3})
    return forms.TextInput(attrs=attrs)


def _field(spec: FieldDef, conditional: bool) -> forms.Field:
    attrs: dict[str, Any] = {}
    if spec.required and not conditional:
        attrs["required"] = True
    elif spec.required:
        attrs["aria-required"] = "true"  # required while its section is shown
    if spec.when is not None:
        attrs["data-when"] = _when(spec.when)
    widget = _widget(spec, attrs)
    if spec.type == "checkbox":
        return forms.BooleanField(
            widget=widget, label=spec.label, required=False, help_text=spec.help
        )
    return forms.CharField(widget=widget, label=spec.label, required=False, help_text=spec.help)


def add_fields(form: forms.Form, definition: FormDefinition) -> None:
    """Add the definition's fields to ``form`` under their keys, with their defaults."""
    for section, spec in definition.fields():
        conditional = section.when is not None or spec.when is not None
        form.fields[spec.key] = _field(spec, conditional)
        if spec.default is not None and spec.key not in form.initial:
            form.initial[spec.key] = (
                spec.default == "on" if spec.type == "checkbox" else spec.default
            )


def raw_values(form: forms.Form, definition: FormDefinition) -> dict[str, Any]:
    """What was typed in the e-form's fields (unchecked)."""
    values: dict[str, Any] = {}
    for _section, spec in definition.fields():
        value = form.cleaned_data.get(spec.key)
        if spec.type == "checkbox":
            values[spec.key] = bool(value)
        elif value not in (None, ""):
            values[spec.key] = value
    return values


def add_errors(form: forms.Form, errors: dict[str, str]) -> None:
    """Each message on its field (or on the form when no field has that name)."""
    for key, message in errors.items():
        form.add_error(key if key in form.fields else None, message)


@dataclass(frozen=True)
class ShownSection:
    section: Section
    when: str
    fields: list[forms.BoundField]


def sections(form: forms.Form, definition: FormDefinition) -> list[ShownSection]:
    """The e-form's sections with their bound fields, for the templates."""
    return [
        ShownSection(section, _when(section.when), [form[spec.key] for spec in section.fields])
        for section in definition.sections
    ]
