"""E-form definitions (tờ khai điện tử) as data, and the rules their values must meet.

A definition is JSON checked by ``FormDefinition`` (its JSON Schema is
``FormDefinition.model_json_schema()``): sections of fields, each field with a type, a
label and its rules; a section or a field may be shown only ``when`` an earlier field has a
value. ``check_values`` applies the rules to what a citizen, an officer or an API client
sent, and returns the clean values with every error at once; fields of a section that is
not shown are dropped, never stored.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import BaseModel, ConfigDict, Field, model_validator

FieldType = Literal["text", "textarea", "date", "choice", "id_number", "checkbox", "number"]
KEY = r"^[a-z][a-z0-9_]{0,39}$"
_ID_NUMBER = re.compile(r"^([0-9]{9}|[0-9]{12})$")
# Dates before this are not dates a civil-status record needs (bounded, like every date).
EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.timedelta(days=3 * 366)  # from today: a temporary stay lasts up to two years
# Names the filing and counter forms use for the applicant and the papers.
RESERVED = frozenset(
    {
        "full_name",
        "id_number",
        "birth_date",
        "phone",
        "email",
        "address",
        "province",
        "commune",
        "procedure",
        "centre",
        "channel",
        "unit_code",
        "pages",
        "copies",
        "papers",
        "version",
        "secret",
        "form_token",
    }
)
_RELATIVE = re.compile(r"^\+([0-9]{1,4})d$")


class Condition(BaseModel):
    """Shown when ``field`` equals ``equals`` (or is one of ``one_of``)."""

    model_config = ConfigDict(extra="forbid")
    field: str = Field(pattern=KEY)
    equals: str | bool | None = None
    one_of: list[str] | None = None

    def holds(self, values: Mapping[str, Any]) -> bool:
        value = values.get(self.field)
        if self.one_of is not None:
            return value in self.one_of
        return bool(value == self.equals)


class Choice(BaseModel):
    model_config = ConfigDict(extra="forbid")
    value: str = Field(min_length=1, max_length=40)
    label: str = Field(min_length=1, max_length=200)


class FieldDef(BaseModel):
    model_config = ConfigDict(extra="forbid")
    key: str = Field(pattern=KEY)
    label: str = Field(min_length=1, max_length=200)
    type: FieldType
    required: bool = False
    help: str = Field("", max_length=300)
    max_length: int = Field(200, ge=1, le=2000)
    choices: list[Choice] = []
    # Dates: "today" or an ISO date or the key of an earlier date field.
    not_after: str | None = None
    not_before: str | None = None
    min: int | None = None
    max: int | None = None
    # Dates: the person must be at least this many years old today (marriage age).
    min_age: int | None = Field(None, ge=0, le=120)
    # Shown filled in (nationality "Việt Nam"); the person may change it.
    default: str | None = Field(None, max_length=200)
    when: Condition | None = None

    @model_validator(mode="after")
    def _choices_for_choice(self) -> FieldDef:
        if self.type == "choice" and not self.choices:
            raise ValueError(f"field {self.key}: a choice field needs choices")
        if self.type != "choice" and self.choices:
            raise ValueError(f"field {self.key}: only a choice field has choices")
        return self


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid")
    key: str = Field(pattern=KEY)
    title: str = Field(min_length=1, max_length=200)
    when: Condition | None = None
    fields: list[FieldDef] = Field(min_length=1)


class FormDefinition(BaseModel):
    """One version of a procedure's e-form."""

    model_config = ConfigDict(extra="forbid")
    title: str = Field(min_length=1, max_length=200)
    legal_basis: str = Field("", max_length=300)
    # The declarant's pledge printed above the signature (tờ khai's "Tôi cam đoan …").
    pledge: str = Field("", max_length=1000)
    sections: list[Section] = Field(min_length=1)
    # Valid values, for the documentation, the demo and the tests.
    example: dict[str, Any] = {}

    @model_validator(mode="after")
    def _keys_and_conditions(self) -> FormDefinition:
        seen: dict[str, FieldDef] = {}
        for section in self.sections:
            self._check_condition(section.when, seen, f"section {section.key}")
            for field in section.fields:
                if field.key in seen:
                    raise ValueError(f"field {field.key} is defined twice")
                if field.key in RESERVED or field.key.startswith(("paper_", "desk_", "scan_")):
                    raise ValueError(f"field {field.key}: the name is taken by the filing form")
                self._check_condition(field.when, seen, f"field {field.key}")
                for bound in (field.not_after, field.not_before):
                    if field.type == "date" and bound and not _is_date_bound(bound, seen):
                        raise ValueError(f"field {field.key}: {bound} is not a date or date field")
                seen[field.key] = field
        return self

    @staticmethod
    def _check_condition(when: Condition | None, seen: dict[str, FieldDef], what: str) -> None:
        if when is not None and when.field not in seen:
            raise ValueError(f"{what}: its condition names {when.field}, not an earlier field")

    def fields(self) -> Iterator[tuple[Section, FieldDef]]:
        for section in self.sections:
            for field in section.fields:
                yield section, field

    def field(self, key: str) -> FieldDef | None:
        return next((f for _s, f in self.fields() if f.key == key), None)


def example_values(definition: FormDefinition) -> dict[str, Any]:
    """The definition's example, with "+Nd" dates made N days from today."""
    values = dict(definition.example)
    for key, value in values.items():
        if isinstance(value, str) and (match := _RELATIVE.match(value)):
            values[key] = (timezone.localdate() + dt.timedelta(days=int(match[1]))).isoformat()
    return values


def _is_date_bound(bound: str, seen: dict[str, FieldDef]) -> bool:
    if bound == "today" or (bound in seen and seen[bound].type == "date"):
        return True
    try:
        dt.date.fromisoformat(bound)
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class Checked:
    """Clean values (JSON-ready: dates as ISO strings) and errors by field key."""

    values: dict[str, Any]
    errors: dict[str, str]


def shown(definition: FormDefinition, values: Mapping[str, Any]) -> list[tuple[Section, FieldDef]]:
    """The fields shown for these values: conditions are read on the clean values so far."""
    return [
        (section, field)
        for section, field in definition.fields()
        if (section.when is None or section.when.holds(values))
        and (field.when is None or field.when.holds(values))
    ]


def check_values(definition: FormDefinition, raw: Mapping[str, Any]) -> Checked:
    """Apply every rule; an unknown key is an error too (a client's typo must not vanish)."""
    clean: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for key in raw:
        if definition.field(key) is None:
            errors[key] = _("This form has no field %(key)s.") % {"key": key}
    for section, field in definition.fields():
        if section.when is not None and not section.when.holds(clean):
            continue
        if field.when is not None and not field.when.holds(clean):
            continue
        try:
            value = _parse(field, raw.get(field.key))
        except ValueError as exc:
            errors[field.key] = str(exc)
            continue
        if value is None or value == "":
            if field.required:
                errors[field.key] = _("%(label)s is required.") % {"label": field.label}
            continue
        try:
            _check_bounds(definition, field, value, clean)
        except ValueError as exc:
            errors[field.key] = str(exc)
            continue
        clean[field.key] = value.isoformat() if isinstance(value, dt.date) else value
    return Checked(clean, errors)


def _parse(field: FieldDef, value: Any) -> Any:
    """The typed value, None when absent; ValueError with the message to show."""
    if field.type == "checkbox":
        if isinstance(value, bool):
            return value
        return str(value or "").strip().lower() in {"on", "true", "1", "yes"}
    if value is None:
        return None
    if field.type == "number" and isinstance(value, int) and not isinstance(value, bool):
        return value
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise ValueError(_("%(label)s: this kind of value is not accepted.") % _named(field))
    text = " ".join(str(value).split()) if field.type != "textarea" else str(value).strip()
    if "\x00" in text:
        raise ValueError(_("%(label)s contains a character that is not allowed.") % _named(field))
    if not text:
        return None
    if len(text) > field.max_length:
        raise ValueError(
            _("%(label)s is longer than %(max)s characters.")
            % {"label": field.label, "max": field.max_length}
        )
    if field.type == "date":
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise ValueError(
                _("%(label)s is not a valid date (day/month/year).") % _named(field)
            ) from None
    if field.type == "number":
        if not re.fullmatch(r"-?[0-9]{1,9}", text):
            raise ValueError(_("%(label)s must be a whole number.") % _named(field))
        return int(text)
    if field.type == "id_number" and not _ID_NUMBER.match(text):
        raise ValueError(
            _("%(label)s: an ID number has 12 digits (citizen ID) or 9 (old ID card).")
            % _named(field)
        )
    if field.type == "choice" and text not in {c.value for c in field.choices}:
        raise ValueError(_("%(label)s: choose one of the options.") % _named(field))
    return text


def _named(field: FieldDef) -> dict[str, str]:
    return {"label": field.label}


def _bound(
    definition: FormDefinition, bound: str, clean: Mapping[str, Any]
) -> tuple[dt.date, str] | None:
    """The bound's date and how a message names it: today, a date, the other field."""
    if bound == "today":
        return timezone.localdate(), _("today")
    other = definition.field(bound)
    if other is not None:
        if bound not in clean:
            return None  # left empty or not shown: nothing to compare with
        return dt.date.fromisoformat(clean[bound]), other.label.lower()
    day = dt.date.fromisoformat(bound)
    return day, day.strftime("%d/%m/%Y")


def _check_bounds(
    definition: FormDefinition, field: FieldDef, value: Any, clean: Mapping[str, Any]
) -> None:
    if field.type == "number":
        if field.min is not None and value < field.min:
            raise ValueError(
                _("%(label)s is at least %(min)s.") % {"label": field.label, "min": field.min}
            )
        if field.max is not None and value > field.max:
            raise ValueError(
                _("%(label)s is at most %(max)s.") % {"label": field.label, "max": field.max}
            )
    if field.type != "date":
        return
    if value < EARLIEST:
        raise ValueError(_("%(label)s is before 1900.") % _named(field))
    if value > timezone.localdate() + LATEST:
        raise ValueError(_("%(label)s is too far in the future.") % _named(field))
    if field.min_age is not None and _years_between(value, timezone.localdate()) < field.min_age:
        raise ValueError(
            _("%(label)s: the person must be at least %(years)s years old.")
            % {"label": field.label, "years": field.min_age}
        )
    for bound, after in ((field.not_after, True), (field.not_before, False)):
        found = _bound(definition, bound, clean) if bound else None
        if found is None:
            continue
        limit, other = found
        if after and value > limit:
            raise ValueError(
                _("%(label)s cannot be after %(other)s.") % {"label": field.label, "other": other}
            )
        if not after and value < limit:
            raise ValueError(
                _("%(label)s cannot be before %(other)s.") % {"label": field.label, "other": other}
            )


def _years_between(born: dt.date, today: dt.date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def display(field: FieldDef, value: Any) -> str:
    """A stored value as a person reads it (the review page, the declaration PDF)."""
    if value is None or value == "":
        return ""
    if field.type == "checkbox":
        return _("Yes") if value else _("No")
    if field.type == "choice":
        return next((c.label for c in field.choices if c.value == value), str(value))
    if field.type == "date":
        return dt.date.fromisoformat(value).strftime("%d/%m/%Y")
    return str(value)
