"""The applicant of a dossier, as given at the counter, online or by the API: checked once."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _

from haicap.core.errors import Invalid

_ID_NUMBER = re.compile(r"^([0-9]{9}|[0-9]{12})$")
_PHONE = re.compile(r"^(\+84|0)[0-9]{9,10}$")


@dataclass(frozen=True)
class Applicant:
    full_name: str
    id_number: str = ""
    birth_date: dt.date | None = None
    phone: str = ""
    email: str = ""
    address: str = ""
    unit_code: str = ""

    @classmethod
    def from_input(cls, data: Mapping[str, Any]) -> Applicant:
        """From a form's cleaned data, a JSON body or a saved draft (dates as ISO strings);
        the commune is ``unit_code`` or ``unit``. Not yet checked: call ``checked()``."""
        birth = data.get("birth_date")
        if isinstance(birth, str):
            try:
                birth = dt.date.fromisoformat(birth) if birth else None
            except ValueError:
                raise Invalid(
                    _("The date of birth is not a valid date."), field="applicant.birth_date"
                ) from None
        return cls(
            full_name=str(data.get("full_name") or ""),
            id_number=str(data.get("id_number") or ""),
            birth_date=birth,
            phone=str(data.get("phone") or ""),
            email=str(data.get("email") or ""),
            address=str(data.get("address") or ""),
            unit_code=str(data.get("unit_code") or data.get("unit") or ""),
        )

    def checked(self) -> Applicant:
        """The same applicant, trimmed; Invalid naming the first bad field."""
        name = " ".join(self.full_name.split())
        if not name:
            raise Invalid(_("The applicant's full name is required."), field="applicant.full_name")
        if len(name) > 200:
            raise Invalid(_("The full name is too long."), field="applicant.full_name")
        id_number = self.id_number.strip()
        if id_number and not _ID_NUMBER.match(id_number):
            raise Invalid(
                _("An ID number has 12 digits (citizen ID) or 9 digits (old ID card)."),
                field="applicant.id_number",
            )
        phone = re.sub(r"[\s.-]", "", self.phone)
        if phone and not _PHONE.match(phone):
            raise Invalid(
                _("A phone number starts with 0 or +84 and has 10 or 11 digits."),
                field="applicant.phone",
            )
        email = self.email.strip()
        if email:
            try:
                validate_email(email)
            except ValidationError:
                raise Invalid(
                    _("The e-mail address is not valid."), field="applicant.email"
                ) from None
        if self.birth_date and self.birth_date > timezone.localdate():
            raise Invalid(_("The date of birth is in the future."), field="applicant.birth_date")
        if self.birth_date and self.birth_date.year < 1900:  # as the API's dates (core/guards)
            raise Invalid(
                _("The date of birth must be in 1900 or later."), field="applicant.birth_date"
            )
        return Applicant(
            full_name=name,
            id_number=id_number,
            birth_date=self.birth_date,
            phone=phone,
            email=email,
            address=" ".join(self.address.split())[:300],
            unit_code=self.unit_code.strip(),
        )
