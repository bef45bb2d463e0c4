"""Agencies: made for every unit by setup (idempotent), their kinds' codes and names, and
`haicap staff add --agency` giving roles in a Party committee."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from haicap.core.actors import SYSTEM
from haicap.core.errors import Invalid
from haicap.documents import actions
from haicap.documents.access import agency_roles, visible_documents
from haicap.documents.agencies import create_committees, do_add_agency
from haicap.documents.models import Agency, AgencyKind, AgencyRole
from haicap.units.models import AdminUnit

pytestmark = pytest.mark.django_db


def test_setup_made_a_committee_for_every_unit_in_force_and_again_makes_none() -> None:
    from django.utils import timezone

    in_force = (
        AdminUnit.objects.in_force_on(timezone.localdate())
        .filter(tier__in=("province", "commune"))
        .count()
    )
    assert Agency.objects.filter(kind=AgencyKind.PEOPLES_COMMITTEE).count() == in_force
    assert create_committees() == 0
    ba_dinh = Agency.objects.get(kind="committee", unit__code="00004", valid_to__isnull=True)
    assert ba_dinh.name == "Ủy ban nhân dân phường Ba Đình"
    assert ba_dinh.code == ba_dinh.unit.agency_code


def test_a_party_committee_numbers_the_partys_way(bob: User) -> None:
    party = do_add_agency("00004", AgencyKind.PARTY, actor=SYSTEM)
    assert party.abbreviation == "ĐU"
    assert party.code.endswith(".DU")
    assert do_add_agency("01", AgencyKind.PARTY, actor=SYSTEM).name == "Thành ủy Hà Nội"
    with pytest.raises(Invalid):
        do_add_agency("00004", AgencyKind.PARTY, actor=SYSTEM)  # the same code again
    with pytest.raises(Invalid):
        do_add_agency(
            "00004", AgencyKind.DEPARTMENT, code="X", name="Sở", abbreviation="S", actor=SYSTEM
        )
    document = actions.do_create_draft(
        party, actions.Draft(type_code="NQ", subject="Nghị quyết đại hội"), actor=SYSTEM
    )
    actions.do_approve(document, actor=SYSTEM)
    issued = actions.do_issue(document, actor=SYSTEM)
    assert issued.number_text == "01-NQ/ĐU"


def test_staff_add_with_an_agency_gives_roles_there_only(alice: User) -> None:
    party = do_add_agency("00004", AgencyKind.PARTY, actor=SYSTEM)
    out = io.StringIO()
    call_command("staff", "add", "dora", "--agency", party.code, "--role", "clerk", stdout=out)
    dora = User.objects.get(username="dora")
    assert AgencyRole.objects.filter(user=dora, agency=party, role="clerk").exists()
    assert agency_roles(dora) == {party.pk: frozenset({"clerk"})}
    # dora sees the Party committee's documents, not the People's Committee's.
    committee = Agency.objects.get(kind="committee", unit=party.unit)
    actions.do_create_draft(committee, actions.Draft(type_code="TB", subject="UBND"), actor=alice)
    assert not visible_documents(dora).exists()
    with pytest.raises(CommandError):
        call_command("staff", "add", "dora", "--agency", party.code, "--role", "receiver")
    with pytest.raises(CommandError):
        call_command("staff", "add", "dora", "--agency", "H99.NOWHERE", "--role", "clerk")


def test_agency_roles_of_personas(alice: User, carol: User, frank: User) -> None:
    committee = Agency.objects.get(kind="committee", unit__code="00004", valid_to__isnull=True)
    assert agency_roles(alice) == {committee.pk: frozenset({"specialist"})}
    assert agency_roles(frank) == {committee.pk: frozenset({"auditor"})}
    assert agency_roles(carol) == {}  # a receiver of the one-stop shop only


def test_agencies_are_imported_all_or_none(tmp_path: Path) -> None:
    good = tmp_path / "good.csv"
    good.write_text(
        "unit,kind,code,name,abbreviation\n"
        "00004,front,,,\n"
        "01,department,H01.SNV,Sở Nội vụ thành phố Hà Nội,SNV\n",
        encoding="utf-8",
    )
    call_command("documents", "agencies", "import", str(good), stdout=io.StringIO())
    assert Agency.objects.get(code="H01.SNV").kind == AgencyKind.DEPARTMENT
    assert Agency.objects.filter(kind=AgencyKind.FRONT, unit__code="00004").exists()
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "unit,kind,code,name,abbreviation\n01,council,,,\n00004,department,X1,Sở,S\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match="line 3"):
        call_command("documents", "agencies", "import", str(bad), stdout=io.StringIO())
    assert not Agency.objects.filter(kind=AgencyKind.PEOPLES_COUNCIL, unit__code="01").exists()
