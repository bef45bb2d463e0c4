"""A province's plan stays in the province: at upload, at override, in the hand-over views
and at apply (issue 11, finding 1).

Personas (haicap/conftest.py): dave administers Hà Nội, gina (here) Quảng Ninh; erin is a
receiver at a Quảng Ninh commune; root is the national administrator.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client

from haicap.conftest import BA_DINH, QUANG_NINH, _officer, quang_ninh_commune
from haicap.core.actors import SYSTEM
from haicap.core.errors import Invalid
from haicap.dossiers.access import get_dossier_for, visible_dossiers
from haicap.dossiers.models import Dossier
from haicap.reorg.actions import do_add_plan_override, do_apply_plan, do_import_plan
from haicap.reorg.models import PlanState, PlanSuccession, ReorgPlan
from haicap.staff.models import RoleAssignment
from haicap.units.models import AdminUnit, ServiceCenter

pytestmark = pytest.mark.django_db
EFFECTIVE = "2026-01-01"


@pytest.fixture
def gina(db: Any) -> User:
    return _officer("gina", QUANG_NINH, "province_admin")


@pytest.fixture
def qn_dossier(make_dossier: Callable[..., Dossier], erin: User) -> Dossier:
    commune = quang_ninh_commune()
    centre = ServiceCenter.objects.filter(unit=commune).first()
    assert centre is not None
    return make_dossier(erin, centre=centre.code)


def _upload(client: Client, rows: str, name: str = "plan.csv") -> Any:
    return client.post(
        "/staff/reorg/",
        {
            "name": "Sáp nhập thử",
            "effective_date": EFFECTIVE,
            "file": SimpleUploadedFile(name, rows.encode(), content_type="text/csv"),
        },
    )


def test_hanoi_cannot_take_over_a_quang_ninh_ward(
    client: Client, dave: User, gina: User, erin: User, qn_dossier: Dossier
) -> None:
    ward = quang_ninh_commune()
    client.force_login(dave)
    refused = _upload(client, f"predecessor,successor\n{ward.code},{BA_DINH}\n")
    assert refused.status_code == 200
    assert ward.name in refused.content.decode()
    assert not ReorgPlan.objects.exists()
    # Nothing moved: Quảng Ninh still sees its dossier, Hà Nội does not.
    qn_dossier.refresh_from_db()
    assert qn_dossier.responsible_unit_id == ward.pk
    for officer in (gina, erin):
        assert get_dossier_for(officer, qn_dossier.code).pk == qn_dossier.pk
    assert not visible_dossiers(dave).filter(pk=qn_dossier.pk).exists()
    assert RoleAssignment.objects.filter(user=erin, unit=ward).exists()


def test_the_national_admin_may_plan_across_provinces(qn_dossier: Dossier) -> None:
    ward = quang_ninh_commune()
    plan = _plan_from_rows(f"predecessor,successor\n{ward.code},{BA_DINH}\n", within=None)
    assert plan.province_id is None
    assert plan.successions.get().predecessor == ward


def _plan_from_rows(rows: str, *, within: set[int] | None) -> ReorgPlan:
    import datetime as dt
    import tempfile
    from pathlib import Path

    with tempfile.NamedTemporaryFile("w", suffix=".csv") as handle:
        handle.write(rows)
        handle.flush()
        return do_import_plan(
            Path(handle.name),
            name="Kế hoạch",
            legal_basis="",
            effective_date=dt.date.fromisoformat(EFFECTIVE),
            actor=SYSTEM,
            within_provinces=within,
        )


def _stray_row(plan: ReorgPlan) -> AdminUnit:
    """A Quảng Ninh predecessor slipped into Hà Nội's plan behind the checks' back."""
    ward = quang_ninh_commune()
    PlanSuccession.objects.create(
        plan=plan,
        predecessor=ward,
        successor=AdminUnit.objects.get(code=BA_DINH, valid_to__isnull=True),
        kind="merge",
    )
    return ward


def test_a_stray_row_is_refused_at_apply_and_hidden_from_the_hand_overs(
    client: Client, dave: User, gina: User, qn_dossier: Dossier
) -> None:
    hanoi = AdminUnit.objects.get(code="01", valid_to__isnull=True)
    plan = _plan_from_rows("predecessor,successor\n00070,00004\n", within={hanoi.pk})
    assert plan.province_id == hanoi.pk
    ward = _stray_row(plan)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT predecessor_id FROM handover_succession WHERE plan_id = %s", [plan.pk]
        )
        published = {row[0] for row in cursor.fetchall()}
    assert ward.pk not in published
    assert published
    ReorgPlan.objects.filter(pk=plan.pk).update(state=PlanState.PREVIEWED)
    plan.refresh_from_db()
    with pytest.raises(Invalid, match=ward.name):
        do_apply_plan(plan, actor=dave, province_id=hanoi.pk)
    client.force_login(dave)
    page = client.post(f"/staff/reorg/{plan.pk}/apply/", {"confirmed": "yes"}, follow=True)
    assert ward.name in page.content.decode()
    qn_dossier.refresh_from_db()
    assert qn_dossier.responsible_unit_id == ward.pk
    assert get_dossier_for(gina, qn_dossier.code).pk == qn_dossier.pk


def test_an_override_outside_the_province_is_refused(dave: User) -> None:
    hanoi = AdminUnit.objects.get(code="01", valid_to__isnull=True)
    plan = _plan_from_rows("predecessor,successor\n00070,00004\n", within={hanoi.pk})
    ward = _stray_row(plan)
    with pytest.raises(Invalid, match=ward.name):
        do_add_plan_override(
            plan,
            predecessor=ward.code,
            successor=BA_DINH,
            procedure=None,
            sector="land",
            actor=dave,
            within_provinces={hanoi.pk},
        )
    # Even as the platform (a command), a province's plan keeps to its province.
    with pytest.raises(Invalid):
        do_add_plan_override(
            plan,
            predecessor=ward.code,
            successor=BA_DINH,
            procedure=None,
            sector="land",
            actor=SYSTEM,
        )
    assert not plan.overrides.exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("plan.xlsx", "not a zip at all"),
        ("plan.csv", "predecessor,successor\n00070\x00,00004\n"),
        ("plan.csv", "\udcff"),
    ],
)
def test_a_malformed_table_is_refused_with_a_message(
    client: Client, dave: User, name: str, content: str
) -> None:
    client.force_login(dave)
    data = content.encode("utf-8", "surrogateescape") if "\udcff" in content else content.encode()
    response = client.post(
        "/staff/reorg/",
        {
            "name": "Hỏng",
            "effective_date": EFFECTIVE,
            "file": SimpleUploadedFile(name, data),
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not ReorgPlan.objects.exists()
