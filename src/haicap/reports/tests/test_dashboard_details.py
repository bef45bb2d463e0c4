"""Dashboards as their users read them: the period named, empty units behind a toggle,
drill-down with days late, unit, filters and exports; who may see which dashboard.

The rule (docs/reports.md): every officer may read the aggregates of any scope (the nation,
any province, any unit: they carry no personal data, and the public index publishes the
provinces'); the dossiers behind a figure are only those the officer may see. Citizens and
anonymous visitors reach no dashboard (only the public index)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from openpyxl import load_workbook

from haicap.dossiers.models import Dossier

OCTOBER = "from=2026-10-01&to=2026-10-31"
pytestmark = pytest.mark.django_db


def test_the_page_names_its_period_and_defaults_to_the_last_30_days(
    client: Client, dave: User
) -> None:
    client.force_login(dave)
    page = client.get("/staff/reports/01/")
    assert (page.context["end"] - page.context["start"]).days == 29
    assert page.context["range_label"].startswith("30 ngày qua")
    assert "30 ngày qua" in page.content.decode()
    assert "Từ đầu tháng đến nay" in page.content.decode()
    assert client.get(f"/staff/reports/01/?{OCTOBER}").context["range_label"] == (
        "Từ 01/10/2026 đến 31/10/2026"
    )


def test_units_with_no_dossiers_are_hidden_behind_a_toggle(
    client: Client, refreshed: dict[str, Dossier], dave: User
) -> None:
    client.force_login(dave)
    page = client.get(f"/staff/reports/01/?{OCTOBER}")
    assert [row["unit"].code for row in page.context["ranking"]] == ["00004"]
    assert page.context["empty_units"] == 125
    assert "Hiện 125 đơn vị không có hồ sơ trong kỳ" in page.content.decode()
    everything = client.get(f"/staff/reports/01/?{OCTOBER}&empty=1")
    assert len(everything.context["ranking"]) == 126


def test_exports_carry_percentages(
    client: Client, refreshed: dict[str, Dossier], dave: User
) -> None:
    client.force_login(dave)
    xlsx = client.get(f"/staff/reports/00004/?{OCTOBER}&export=xlsx&table=summary")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    values = {row[0]: row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert values["Đúng hạn (%)"] == 75.0  # 3 of 4 finished on time
    assert values["Tiếp nhận"] == 4


def test_the_drill_down_shows_days_late_and_unit_with_filters_and_exports(
    client: Client, refreshed: dict[str, Dossier], dave: User, carol: User
) -> None:
    client.force_login(dave)
    url = f"/staff/reports/dossiers/?metric=late&scope=01&{OCTOBER}"
    page = client.get(url)
    late = refreshed["late"]
    assert [d.code for d in page.context["page"].items] == [late.code]
    assert page.context["late"][late.pk] > 0
    html = page.content.decode()
    assert "Phường Ba Đình" in html
    assert "badge late" in html
    assert client.get(f"{url}&unit=00070").context["page"].count == 0
    assert client.get(f"{url}&unit=00004").context["page"].count == 1
    sheet = load_workbook(io.BytesIO(client.get(f"{url}&export=xlsx").content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Mã", "Thủ tục", "Đơn vị")
    assert rows[0][-1] == "Số ngày làm việc quá hạn"
    assert rows[1][0] == late.code
    assert isinstance(rows[1][-1], float)
    assert rows[1][-1] > 0
    # Carol (Hoàn Kiếm) exports nothing of Ba Đình's.
    client.force_login(carol)
    sheet = load_workbook(io.BytesIO(client.get(f"{url}&export=xlsx").content)).active
    assert sheet is not None
    assert sheet.max_row == 1


def test_who_may_see_which_dashboard(
    client: Client,
    refreshed: dict[str, Dossier],
    alice: User,
    erin: User,
    dave: User,
    national_admin: User,
    django_user_model: Any,
) -> None:
    # Any officer reads the aggregates of any scope: the nation, another province.
    for officer in (alice, erin, dave, national_admin):
        client.force_login(officer)
        assert client.get(f"/staff/reports/?{OCTOBER}").status_code == 200
        assert client.get(f"/staff/reports/01/?{OCTOBER}").status_code == 200
        assert client.get(f"/staff/reports/22/?{OCTOBER}").status_code == 200
    # The dossiers behind a Hà Nội figure: Ba Đình's officer and the province see them,
    # Quảng Ninh's officer does not.
    url = f"/staff/reports/dossiers/?metric=finished&scope=01&{OCTOBER}"
    for officer, count in ((alice, 4), (dave, 4), (national_admin, 4), (erin, 0)):
        client.force_login(officer)
        assert client.get(url).context["page"].count == count, officer
    # Open dossiers overdue now count only what the officer may see.
    client.force_login(erin)
    assert client.get(f"/staff/reports/01/?{OCTOBER}").context["overdue_now"] == 0
    # Citizens and anonymous visitors: no dashboards; the public index is for everyone.
    client.force_login(django_user_model.objects.create_user("citizen2", password="x-long-12"))
    assert client.get("/staff/reports/01/").status_code == 404
    client.logout()
    assert client.get("/staff/reports/01/").status_code == 302
    assert client.get("/reports/").status_code == 200
