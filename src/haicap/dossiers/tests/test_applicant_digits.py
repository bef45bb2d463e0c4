"""Numbers people type are ASCII digits: other scripts' digits (Arabic-Indic, full-width)
would be stored as typed, and a search by the number on the ID card would never find them."""

from __future__ import annotations

import pytest

from haicap.core.errors import Invalid
from haicap.dossiers.applicant import Applicant


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("id_number", "٠٠١٠٩٩٠١٢٣٤٥"),
        ("id_number", "００１０９９０１２３４５"),
        ("phone", "٠٩١٢٣٤٥٦٧٨"),
    ],
)
def test_digits_of_other_scripts_are_refused(field: str, value: str) -> None:
    applicant = (
        Applicant(full_name="Nguyễn Văn An", id_number=value)
        if field == "id_number"
        else Applicant(full_name="Nguyễn Văn An", phone=value)
    )
    with pytest.raises(Invalid) as refused:
        applicant.checked()
    assert refused.value.field == f"applicant.{field}"


def test_ascii_digits_pass() -> None:
    checked = Applicant(
        full_name="Nguyễn Văn An", id_number="001099012345", phone="0912345678"
    ).checked()
    assert (checked.id_number, checked.phone) == ("001099012345", "0912345678")
