"""Numbers: 50 officers issuing at once get 01…50, the notation rules, the new year's 01."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
import time_machine
from django.contrib.auth.models import User
from django.db import connection
from hypothesis import given
from hypothesis import strategies as st

from haicap.core.calendar import ZONE
from haicap.documents import actions
from haicap.documents.models import Agency, Document, Register, Status
from haicap.documents.numbering import notation_for

ABBREVIATIONS = st.sampled_from(["UBND", "HĐND", "ĐU", "MTTQ", "SNV"])
TYPES = st.sampled_from(["QĐ", "NQ", "TB", "KH", "CV", "TTr", "QyĐ"])


@given(number=st.integers(min_value=1, max_value=10**6), kind=TYPES, agency=ABBREVIATIONS)
def test_state_notation_has_the_leading_zero_type_and_agency(
    number: int, kind: str, agency: str
) -> None:
    notation = notation_for(number, kind, agency, party=False, drafting_unit="VP")
    head, _slash, tail = notation.text.partition("/")
    assert int(head) == number
    assert len(head) == max(2, len(str(number)))
    expected = f"{agency}-VP" if kind == "CV" else f"{kind}-{agency}"
    assert tail == expected == notation.notation
    assert notation.printed == f"Số: {notation.text}"


@given(number=st.integers(min_value=1, max_value=10**6), kind=TYPES)
def test_party_notation_is_number_dash_type_slash_committee(number: int, kind: str) -> None:
    notation = notation_for(number, kind, "ĐU", party=True)
    assert notation.text == f"{number:02d}-{kind}/ĐU"
    assert notation.printed == f"Số {notation.text}"


def test_the_examples_of_the_decree() -> None:
    assert notation_for(5, "QĐ", "UBND", party=False).printed == "Số: 05/QĐ-UBND"
    assert notation_for(5, "NQ", "ĐU", party=True).printed == "Số 05-NQ/ĐU"
    assert notation_for(12, "CV", "UBND", party=False, drafting_unit="VP").text == "12/UBND-VP"
    with pytest.raises(ValueError, match="start at 1"):
        notation_for(0, "QĐ", "UBND", party=False)


def _approved(agency: Agency, bob: User, count: int) -> list[Document]:
    made = []
    for index in range(count):
        document = actions.do_create_draft(
            agency, actions.Draft(type_code="TB", subject=f"Thông báo số {index}"), actor=bob
        )
        made.append(actions.do_approve(document, actor=bob))
    return made


@pytest.mark.django_db(transaction=True)
def test_fifty_parallel_issues_give_01_to_50_without_gaps(bob: User, ba_dinh: Agency) -> None:
    documents = _approved(ba_dinh, bob, 50)
    barrier = threading.Barrier(10)
    errors: list[BaseException] = []

    def issue(batch: list[Document]) -> None:
        try:
            barrier.wait()
            actor = User.objects.get(pk=bob.pk)
            for document in batch:
                actions.do_issue(document, actor=actor)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=(documents[i::10],)) for i in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = sorted(n for n in Document.objects.values_list("number", flat=True) if n)
    assert numbers == list(range(1, 51))
    assert Register.objects.get(agency=ba_dinh, direction="out").last_number == 50


@pytest.mark.django_db
def test_a_cancelled_number_stays_and_the_next_one_follows(bob: User, ba_dinh: Agency) -> None:
    first, second = _approved(ba_dinh, bob, 2)
    first = actions.do_issue(first, actor=bob)
    cancelled = actions.do_cancel_number(first, actor=bob, reason="Sai thể thức")
    second = actions.do_issue(second, actor=bob)
    assert cancelled.status == Status.CANCELLED
    assert cancelled.number == 1
    assert second.number == 2


@pytest.mark.django_db
def test_numbers_start_again_at_01_on_the_first_of_january(bob: User, ba_dinh: Agency) -> None:
    with time_machine.travel(dt.datetime(2026, 12, 31, 23, 58, tzinfo=ZONE), tick=False):
        last_year = actions.do_issue(_approved(ba_dinh, bob, 1)[0], actor=bob)
        again = actions.do_issue(_approved(ba_dinh, bob, 1)[0], actor=bob)
    with time_machine.travel(dt.datetime(2027, 1, 1, 0, 1, tzinfo=ZONE), tick=False):
        new_year = actions.do_issue(_approved(ba_dinh, bob, 1)[0], actor=bob)
    assert (last_year.number, again.number, new_year.number) == (1, 2, 1)
    assert last_year.issued_on == dt.date(2026, 12, 31)
    assert new_year.issued_on == dt.date(2027, 1, 1)
    assert new_year.number_text == "01/TB-UBND"
    assert Register.objects.filter(agency=ba_dinh, direction="out").count() == 2
