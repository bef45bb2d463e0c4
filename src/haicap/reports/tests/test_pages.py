"""Dashboards, the dossiers behind a number, exports, the periodic report, the public index.

Personas (haicap/conftest.py): alice works at Phường Ba Đình, carol at Phường Hoàn Kiếm,
dave administers Hà Nội.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook
from pypdf import PdfReader

from haicap.dossiers.models import Dossier
from haicap.reports.aggregate import refresh
from haicap.reports.tests.conftest import at

pytestmark = pytest.mark.django_db
OCTOBER = "from=2026-10-01&to=2026-10-31"


def test_who_sees_the_dashboards(
    client: Client, django_user_model: type[User], alice: User
) -> None:
    assert client.get("/staff/reports/").status_code == 302  # sign in first
    client.force_login(django_user_model.objects.create_user("c", password="x-long-pass-1"))
    assert client.get("/staff/reports/").status_code == 404  # citizens: no such page
    client.force_login(alice)
    assert client.get("/staff/reports/").status_code == 200
    assert client.get("/staff/reports/99999/").status_code == 404


def test_the_province_dashboard(client: Client, refreshed: dict[str, Dossier], dave: User) -> None:
    client.force_login(dave)
    page = client.get(f"/staff/reports/01/?{OCTOBER}")
    assert page.status_code == 200
    assert page.context["summary"]["received"] == 4
    assert page.context["ranking"][0]["unit"].name == "Phường Ba Đình"
    assert page.context["procedures"][0]["late"] == 1
    text = page.content.decode()
    assert "<svg" in text  # the charts
    assert "Phường Ba Đình" in text
    ward = client.get(f"/staff/reports/00004/?{OCTOBER}")
    assert ward.context["scope"].kind == "unit"
    assert ward.context["summary"]["late"] == 1


def test_the_dashboard_query_count_does_not_grow_with_the_data(
    client: Client, make_dossier: Any, dave: User
) -> None:
    client.force_login(dave)
    make_dossier(at=at(5, 9))
    refresh()
    client.get(f"/staff/reports/01/?{OCTOBER}")  # the registry's lineage is cached after this
    with CaptureQueriesContext(connection) as few:
        client.get(f"/staff/reports/01/?{OCTOBER}")
    for day in range(6, 20):
        make_dossier(at=at(day, 9))
        make_dossier(at=at(day, 10), centre="H01.00070")
    refresh()
    with CaptureQueriesContext(connection) as many:
        client.get(f"/staff/reports/01/?{OCTOBER}")
    assert len(many) == len(few)
    # 14, and one per grouping (total, days, units) for feedback's criterion (reports/feedback.py).
    assert len(many) <= 17


def test_a_number_leads_to_its_dossiers(
    client: Client, refreshed: dict[str, Dossier], dave: User, carol: User
) -> None:
    client.force_login(dave)
    dashboard = client.get(f"/staff/reports/01/?{OCTOBER}")
    late = client.get(dashboard.context["links"]["late"])
    assert late.status_code == 200
    assert [d.code for d in late.context["page"].items] == [refreshed["late"].code]
    on_time = client.get(dashboard.context["links"]["on_time"])
    assert on_time.context["page"].count == dashboard.context["summary"]["on_time"] == 3
    # Carol (Hoàn Kiếm) may open the figure, but sees none of Ba Đình's dossiers.
    client.force_login(carol)
    assert client.get(dashboard.context["links"]["late"]).context["page"].count == 0


def test_exports(client: Client, refreshed: dict[str, Dossier], dave: User) -> None:
    client.force_login(dave)
    csv = client.get(f"/staff/reports/00004/?{OCTOBER}&export=csv&table=summary")
    assert csv["Content-Type"].startswith("text/csv")
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "Chỉ tiêu,Giá trị"  # Vietnamese headers, the page's words
    assert "Tiếp nhận,4" in lines
    xlsx = client.get(f"/staff/reports/01/?{OCTOBER}&export=xlsx&table=ranking")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Hạng", "Mã", "Đơn vị")
    assert rows[1][:3] == (1, "00004", "Phường Ba Đình")
    assert len(rows) == 127
    trend = client.get(f"/staff/reports/01/?{OCTOBER}&export=csv&table=trend")
    assert len(trend.content.decode("utf-8-sig").splitlines()) == 32  # header and 31 days


def test_the_periodic_report(client: Client, refreshed: dict[str, Dossier], dave: User) -> None:
    client.force_login(dave)
    response = client.get("/staff/reports/report.pdf?scope=01&kind=monthly&year=2026&number=10")
    assert response["Content-Type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "BÁO CÁO THÁNG 10/2026" in text
    assert "15/09/2026" in text
    assert "14/10/2026" in text  # the window of Decree 09/2019
    assert "Phường Ba Đình" in text
    bad = client.get("/staff/reports/report.pdf?kind=monthly&year=2026&number=13")
    assert bad.status_code == 400
    assert "1 to 12" in bad.content.decode()
    assert client.get("/staff/reports/report.pdf?kind=weekly").status_code == 400


def test_a_bad_range_is_said_and_the_default_shown(client: Client, dave: User) -> None:
    client.force_login(dave)
    page = client.get("/staff/reports/01/?from=2026-13-01")
    assert page.status_code == 200
    assert "from" in next(m.message for m in page.context["messages"])
    # The default is the last 30 days, whatever day of the month it is.
    assert (page.context["end"] - page.context["start"]).days == 29
    backwards = client.get("/staff/reports/01/?from=2026-10-31&to=2026-10-01")
    assert len(list(backwards.context["messages"])) == 1


def test_the_public_index(client: Client, refreshed: dict[str, Dossier]) -> None:
    page = client.get(f"/reports/?{OCTOBER}")
    assert page.status_code == 200
    ranking = page.context["ranking"]
    assert len(ranking) == 34
    assert ranking[0]["unit"].name == "Thành phố Hà Nội"
    assert ranking[0]["index"]["total"] is not None
    assert refreshed["late"].code not in page.content.decode()  # no dossier is shown
    csv = client.get(f"/reports/?{OCTOBER}&export=csv")
    assert "Thành phố Hà Nội" in csv.content.decode("utf-8-sig")
