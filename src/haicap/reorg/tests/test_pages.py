"""Staff pages for plans: who sees them, a province's part, preview, overrides, apply as a job.

Personas (haicap/conftest.py): dave administers Hà Nội; gina (here) administers Quảng Ninh;
alice works at a commune; root is the national administrator (superuser).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook
from procrastinate.contrib.django.models import ProcrastinateJob

from haicap.conftest import QUANG_NINH, _officer
from haicap.dossiers.models import Dossier
from haicap.reorg.models import PlanOverride, PlanState, ReorgPlan
from haicap.reorg.tasks import apply_plan
from haicap.units.models import AdminUnit
from haicap.units.source import REFORM_DATE

pytestmark = pytest.mark.django_db
Make = Callable[..., Dossier]


@pytest.fixture
def gina(db: Any) -> User:
    return _officer("gina", QUANG_NINH, "province_admin")


@pytest.fixture
def root(db: Any) -> User:
    return User.objects.create_superuser("root", password="pw-for-tests-1")


def test_who_may_open_the_plans(
    client: Client, plan: ReorgPlan, alice: User, dave: User, gina: User
) -> None:
    assert client.get("/staff/reorg/").status_code == 302  # sign in first
    client.force_login(alice)  # a commune officer runs no plans
    assert client.get("/staff/reorg/").status_code == 404
    assert client.get(f"/staff/reorg/{plan.pk}/").status_code == 404
    for admin in (dave, gina):
        client.force_login(admin)
        page = client.get("/staff/reorg/")
        assert [p.pk for p in page.context["plans"]] == [plan.pk]
        assert "Reorganisation" in page.content.decode() or "Sắp xếp" in page.content.decode()


def test_a_province_admin_sees_only_their_part(
    client: Client, plan: ReorgPlan, old_dossier: Make, dave: User, gina: User
) -> None:
    hanoi = old_dossier("00004")  # Trúc Bạch → Ba Đình, Hà Nội
    client.force_login(dave)
    client.post(f"/staff/reorg/{plan.pk}/preview/")
    page = client.get(f"/staff/reorg/{plan.pk}/")
    assert page.context["province"].code == "01"
    assert page.context["summary"]["totals"]["pending_dossiers"] == 1
    assert {row["province"]["code"] for row in page.context["summary"]["units"]} == {"01"}
    client.force_login(gina)
    # Asking for Hà Nội's part still shows Quảng Ninh's: nothing of Hà Nội leaks.
    page = client.get(f"/staff/reorg/{plan.pk}/?province=01")
    assert page.context["province"].code == QUANG_NINH
    assert page.context["summary"]["totals"]["pending_dossiers"] == 0
    assert hanoi.code not in page.content.decode()
    # Only the national administrator builds the national plan.
    assert client.post("/staff/reorg/plan-2025/").status_code == 404


def test_applying_from_the_page_runs_as_a_job(
    client: Client, plan: ReorgPlan, old_dossier: Make, dave: User
) -> None:
    dossier = old_dossier("00004")
    client.force_login(dave)
    refused = client.post(f"/staff/reorg/{plan.pk}/apply/", follow=True)
    assert "Preview" in refused.content.decode() or "Xem trước" in refused.content.decode()
    assert not ProcrastinateJob.objects.filter(task_name="haicap.reorg.apply_plan").exists()
    client.post(f"/staff/reorg/{plan.pk}/preview/")
    asked = client.post(f"/staff/reorg/{plan.pk}/apply/")
    assert 'name="confirmed"' in asked.content.decode()
    assert not ProcrastinateJob.objects.filter(task_name="haicap.reorg.apply_plan").exists()
    assert asked.context["summary"]["totals"]["pending_dossiers"] == 1
    client.post(f"/staff/reorg/{plan.pk}/apply/", {"confirmed": "yes"})
    job = ProcrastinateJob.objects.get(task_name="haicap.reorg.apply_plan")
    assert job.args["plan_id"] == plan.pk
    assert job.args["province_id"] == AdminUnit.objects.get(code="01", valid_from=REFORM_DATE).pk
    page = client.post(  # a second click
        f"/staff/reorg/{plan.pk}/apply/", {"confirmed": "yes"}, follow=True
    )
    assert ProcrastinateJob.objects.filter(task_name="haicap.reorg.apply_plan").count() == 1
    assert page.context["progress"]["running"]
    apply_plan(**job.args)  # what the worker does
    dossier.refresh_from_db()
    assert dossier.responsible_unit.valid_from == REFORM_DATE
    progress = client.get(
        f"/staff/reorg/{plan.pk}/?part=progress", headers={"HX-Request": "true"}
    ).context["progress"]
    assert (progress["done"], progress["total"], progress["percent"]) == (1, 1, 100)


def test_the_national_admin_builds_and_previews_the_whole_plan(
    client: Client, root: User, old_dossier: Make
) -> None:
    old_dossier("00004")
    old_dossier("001")  # district, no commune given: cannot be placed
    client.force_login(root)
    built = client.post("/staff/reorg/plan-2025/", follow=True)
    plan = ReorgPlan.objects.get()
    assert built.context["plan"] == plan
    assert plan.successions.count() > 10_000
    client.post(f"/staff/reorg/{plan.pk}/preview/")
    page = client.get(f"/staff/reorg/{plan.pk}/")
    assert page.context["province"] is None
    totals = page.context["summary"]["totals"]
    assert (totals["pending_dossiers"], totals["cannot_be_placed"]) == (1, 1)
    rows = {
        (row["from"]["code"], row["to"]["code"]): (row["dossiers"], row["centres"])
        for row in page.context["units_page"].items
    }
    # Trúc Bạch's dossier and desk go to Ba Đình; Quận Ba Đình's desk goes to Hà Nội.
    assert rows == {("00004", "00004"): (1, 1), ("001", "01"): (0, 1)}
    exported = client.get(f"/staff/reorg/{plan.pk}/?format=csv&province=01")
    text = exported.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Mã đơn vị cũ,Đơn vị cũ,Mã đơn vị mới")
    assert "Phường Trúc Bạch" in text
    plan.refresh_from_db()
    assert plan.state == PlanState.PREVIEWED


def test_overrides_from_the_page(client: Client, plan: ReorgPlan, dave: User) -> None:
    client.force_login(dave)
    # Outside Hà Nội: refused with a message, nothing written.
    client.post(
        f"/staff/reorg/{plan.pk}/overrides/",
        {"predecessor": "00004", "successor": "22000", "sector": "land"},
    )
    assert not PlanOverride.objects.exists()
    # Not a successor of the old unit: refused too.
    page = client.post(
        f"/staff/reorg/{plan.pk}/overrides/",
        {"predecessor": "00004", "successor": "00070", "sector": "land"},
        follow=True,
    )
    assert not PlanOverride.objects.exists()
    assert "00070" in page.content.decode()
    client.post(
        f"/staff/reorg/{plan.pk}/overrides/",
        {"predecessor": "00004", "successor": "00004", "procedure": "HCP.CTR.001"},
    )
    override = PlanOverride.objects.get()
    assert override.procedure is not None
    assert override.procedure.code == "HCP.CTR.001"


def test_a_province_uploads_its_own_plan(client: Client, dave: User, tmp_path: Path) -> None:
    client.force_login(dave)

    def upload(rows: str, day: str = "2026-01-01") -> Any:
        return client.post(
            "/staff/reorg/",
            {
                "name": "Điều chỉnh địa giới 2026",
                "legal_basis": "Nghị quyết thử nghiệm",
                "effective_date": day,
                "file": SimpleUploadedFile("plan.csv", rows.encode(), content_type="text/csv"),
            },
        )

    # Codes of old units are read on the day before, new ones on the day: the units of
    # 2025 are both. A successor in Quảng Ninh is not Hà Nội's to plan.
    refused = upload("predecessor,successor\n00070,00004\n00004,22000\n")
    assert refused.status_code == 200
    assert "row 3" in refused.content.decode() or "dòng 3" in refused.content.decode()
    assert not ReorgPlan.objects.exists()
    far = upload("predecessor,successor\n00070,00004\n", day="9999-12-31")
    assert far.status_code == 200
    assert "2100" in far.content.decode()
    assert not ReorgPlan.objects.exists()
    created = upload("predecessor,successor\n00070,00004\n")
    assert created.status_code == 302
    plan = ReorgPlan.objects.get()
    assert plan.successions.get().successor.name == "Phường Ba Đình"


def test_a_plan_from_an_xlsx_table(client: Client, dave: User, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["predecessor", "successor", "kind", "default"])
    sheet.append(["00070", "00004", "split", "1"])
    sheet.append(["00070", "00097", "split", "0"])
    path = tmp_path / "plan.xlsx"
    book.save(path)
    client.force_login(dave)
    response = client.post(
        "/staff/reorg/",
        {
            "name": "Chia tách thử",
            "effective_date": "2026-01-01",
            "file": SimpleUploadedFile("plan.xlsx", path.read_bytes()),
        },
    )
    assert response.status_code == 302
    plan = ReorgPlan.objects.get()
    assert {(s.successor.code, s.is_default) for s in plan.successions.all()} == {
        ("00004", True),
        ("00097", False),
    }
