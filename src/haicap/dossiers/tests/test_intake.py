"""Receiving dossiers: codes, deadlines, fees, validation that writes nothing, concurrency."""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection

from haicap.conftest import APPLICANT, BIRTH, MARITAL
from haicap.core.actors import SYSTEM
from haicap.core.calendar import ZONE
from haicap.core.errors import Forbidden, Invalid
from haicap.core.models import AuditEvent
from haicap.dossiers.actions import Applicant, do_intake_dossier, do_submit_dossier
from haicap.dossiers.models import Dossier, DossierEvent, Status
from haicap.procedures.models import Procedure
from haicap.units.actions import do_load_agency_codes
from haicap.units.models import ServiceCenter

CODE = re.compile(r"^H01\.00004-\d{6}-\d{4}$")


def centre(code: str = "H01.00004") -> ServiceCenter:
    return ServiceCenter.objects.select_related("unit", "unit__province").get(code=code)


def test_intake_issues_a_code_a_due_date_and_a_timeline(
    alice: User, make_dossier: Callable[..., Dossier]
) -> None:
    received = dt.datetime(2026, 3, 2, 9, 30, tzinfo=ZONE)  # Monday
    dossier = make_dossier(alice, at=received)
    assert CODE.match(dossier.code)
    assert dossier.code.endswith("-260302-0001")
    assert dossier.status == Status.ACCEPTED
    assert dossier.due_at == dt.datetime(2026, 3, 5, 17, tzinfo=ZONE)  # 3 working days
    assert dossier.responsible_unit.code == "00004"
    assert len(dossier.secret) == 8
    assert list(dossier.events.values_list("action", "to_status")) == [("intake", 2)]
    assert AuditEvent.objects.filter(verb="dossier.intake", subject_id=dossier.code).exists()


def test_codes_count_per_centre_per_day(alice: User, carol: User, make_dossier: Any) -> None:
    day = dt.datetime(2026, 3, 2, 9, tzinfo=ZONE)
    first = make_dossier(alice, at=day)
    second = make_dossier(alice, at=day)
    other_centre = make_dossier(carol, centre="H01.00070", at=day)
    next_day = make_dossier(alice, at=day + dt.timedelta(days=1))
    assert first.code.endswith("-0001")
    assert second.code.endswith("-0002")
    assert other_centre.code == "H01.00070-260302-0001"
    assert next_day.code.endswith("-260303-0001")


def test_codes_follow_the_official_agency_code_and_issued_ones_stay(
    tmp_path: Path, make_dossier: Any
) -> None:
    """Codes start with the centre's Decision 20/2020 code; when the province loads its
    official codes the next dossier carries the new one, the day's sequence goes on, and an
    issued code never changes."""
    day = dt.datetime(2026, 3, 2, 9, tzinfo=ZONE)
    before = make_dossier(at=day)
    assert before.code == f"{before.responsible_unit.agency_code}-260302-0001"
    table = tmp_path / "codes.csv"
    table.write_text("unit,agency_code\n00004,H26.50.01\n", encoding="utf-8")
    assert do_load_agency_codes(table, on=day.date(), actor=SYSTEM).centres == 1
    after = make_dossier(centre="H26.50.01", at=day)
    assert after.code == "H26.50.01-260302-0002"
    before.refresh_from_db()
    assert before.code == "H01.00004-260302-0001"


def test_online_filing_waits_for_acceptance(alice: User) -> None:
    dossier, _ = do_submit_dossier(
        procedure=Procedure.objects.get(code=BIRTH),
        centre=centre(),
        applicant=APPLICANT,
        actor=SYSTEM,
    )
    assert dossier.status == Status.NEW
    assert dossier.received_at is None
    assert dossier.due_at is None
    assert dossier.submitted_at is not None


def test_fees_follow_the_procedure(alice: User, make_dossier: Any) -> None:
    copy = make_dossier(alice, procedure="HCP.CT.001", pages=5, copies=2)
    assert copy.fee == 2 * (2 * 2000 + 3 * 1000)
    residence_online, _ = do_submit_dossier(
        procedure=Procedure.objects.get(code="HCP.CTR.001"),
        centre=centre(),
        applicant=APPLICANT,
        actor=SYSTEM,
    )
    assert residence_online.fee == 7000
    assert make_dossier(alice, procedure="HCP.CTR.001").fee == 15000


def test_a_province_procedure_filed_at_a_commune_goes_to_the_province(
    alice: User, make_dossier: Any
) -> None:
    dossier = make_dossier(alice, procedure="HCP.TP.001")
    assert dossier.receiving_unit.code == "00004"
    assert dossier.responsible_unit.code == "01"
    assert dossier.responsible_unit.tier == "province"


def test_a_local_procedure_cannot_be_filed_for_another_commune(alice: User) -> None:
    applicant = Applicant(full_name="Trần Văn Cường", unit_code="00070")  # lives in Hoàn Kiếm
    with pytest.raises(Invalid) as refused:
        do_intake_dossier(
            procedure=Procedure.objects.get(code="HCP.CTR.002"),  # residence: not phi địa giới
            centre=centre(),
            applicant=applicant,
            actor=alice,
        )
    assert refused.value.field == "unit"
    anywhere, _ = do_intake_dossier(
        procedure=Procedure.objects.get(code=BIRTH),
        centre=centre(),
        applicant=applicant,
        actor=alice,
    )
    assert anywhere.responsible_unit.code == "00004"


@pytest.mark.parametrize(
    ("applicant", "field"),
    [
        (Applicant(full_name="  "), "applicant.full_name"),
        (Applicant(full_name="An", id_number="12345"), "applicant.id_number"),
        (Applicant(full_name="An", phone="12345"), "applicant.phone"),
        (Applicant(full_name="An", email="not-an-email"), "applicant.email"),
        (Applicant(full_name="An", birth_date=dt.date(2999, 1, 1)), "applicant.birth_date"),
        (Applicant(full_name="An", birth_date=dt.date(1, 1, 1)), "applicant.birth_date"),
        (Applicant(full_name="An", unit_code="99999"), "applicant.unit_code"),
    ],
)
def test_bad_applicant_data_is_refused_and_writes_nothing(
    alice: User, applicant: Applicant, field: str
) -> None:
    before = (Dossier.objects.count(), DossierEvent.objects.count(), AuditEvent.objects.count())
    with pytest.raises(Invalid) as refused:
        do_intake_dossier(
            procedure=Procedure.objects.get(code=MARITAL),
            centre=centre(),
            applicant=applicant,
            actor=alice,
        )
    assert refused.value.field == field
    after = (Dossier.objects.count(), DossierEvent.objects.count(), AuditEvent.objects.count())
    assert after == before


def test_only_receivers_of_the_centre_may_receive(carol: User, frank: User) -> None:
    for officer in (carol, frank):  # another commune's receiver; an auditor here
        with pytest.raises(Forbidden):
            do_intake_dossier(
                procedure=Procedure.objects.get(code=MARITAL),
                centre=centre(),
                applicant=APPLICANT,
                actor=officer,
            )


def test_idempotent_creation_returns_the_first_dossier(alice: User) -> None:
    kwargs: dict[str, Any] = {
        "procedure": Procedure.objects.get(code=MARITAL),
        "centre": centre(),
        "applicant": APPLICANT,
        "actor": alice,
        "idempotency_key": "counter-7:42",
    }
    first, created = do_intake_dossier(**kwargs)
    again, created_again = do_intake_dossier(**kwargs)
    assert created
    assert not created_again
    assert again.pk == first.pk
    assert Dossier.objects.filter(idempotency_key="counter-7:42").count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_intake_never_duplicates_a_code() -> None:
    """Eight counters receive at the same centre in the same second."""
    procedure = Procedure.objects.get(code=MARITAL)
    target = centre()
    moment = dt.datetime(2026, 3, 2, 9, tzinfo=ZONE)
    barrier = threading.Barrier(8)
    codes: list[str] = []
    errors: list[BaseException] = []

    def receive() -> None:
        try:
            barrier.wait()
            dossier, _ = do_intake_dossier(
                procedure=procedure, centre=target, applicant=APPLICANT, actor=SYSTEM, at=moment
            )
            codes.append(dossier.code)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=receive) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sorted(codes) == [f"H01.00004-260302-{n:04d}" for n in range(1, 9)]


@pytest.mark.django_db(transaction=True)
def test_concurrent_retries_with_one_key_create_one_dossier() -> None:
    procedure = Procedure.objects.get(code=MARITAL)
    target = centre()
    barrier = threading.Barrier(4)
    results: list[int] = []

    def retry() -> None:
        try:
            barrier.wait()
            dossier, _ = do_intake_dossier(
                procedure=procedure,
                centre=target,
                applicant=APPLICANT,
                actor=SYSTEM,
                idempotency_key="same-key",
            )
            results.append(dossier.pk)
        finally:
            connection.close()

    threads = [threading.Thread(target=retry) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 4
    assert len(set(results)) == 1
    assert Dossier.objects.count() == 1
