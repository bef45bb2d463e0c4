"""Dates in the dashboards, the public index, the indicators API and the periodic report are
bounded: 9999-12-31 is said on the page (or answered 4xx), never a 500 or an empty range shown
as if it were real. The end of next year is still a valid end.

Personas (haicap/conftest.py): dave administers Hà Nội; alice works at Phường Ba Đình.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from haicap.dossiers.tests.test_api import bearer
from haicap.units.queries import today

pytestmark = pytest.mark.django_db
FAR = "from=9999-12-31&to=9999-12-31"


def said(page: Any) -> list[str]:
    return [m.message for m in page.context["messages"]]


@pytest.mark.parametrize("path", ["/staff/reports/", "/staff/reports/01/"])
def test_a_far_date_on_a_dashboard_is_said(client: Client, dave: User, path: str) -> None:
    client.force_login(dave)
    page = client.get(f"{path}?{FAR}")
    assert page.status_code == 200
    assert said(page) == [f"Hãy chọn ngày từ 01/01/2000 đến 31/12/{today().year + 1}."]
    assert page.context["end"] == today()


def test_a_far_date_on_the_public_index_is_said(client: Client) -> None:
    page = client.get(f"/reports/?{FAR}")
    assert page.status_code == 200
    assert "Hãy chọn ngày từ 01/01/2000" in page.content.decode()
    assert page.context["end"] == today()


def test_this_year_to_its_last_day_is_still_a_range(client: Client, dave: User) -> None:
    year = today().year
    client.force_login(dave)
    page = client.get(f"/staff/reports/01/?from={year}-01-01&to={year}-12-31")
    assert said(page) == []
    assert str(page.context["end"]) == f"{year}-12-31"


@pytest.mark.parametrize(("query", "field"), [("from=1999-12-31", "from"), (FAR, "from")])
def test_the_api_answers_422_naming_the_date(
    client: Client, alice: User, query: str, field: str
) -> None:
    response = client.get(f"/api/v1/indicators?{query}", headers=bearer(alice))
    assert response.status_code == 422
    assert response.json()["error"]["field"] == field


def test_the_periodic_report_of_year_9999_is_refused(client: Client, dave: User) -> None:
    client.force_login(dave)
    response = client.get("/staff/reports/report.pdf?kind=monthly&year=9999&number=1")
    assert response.status_code == 400
    assert "2000" in response.content.decode()
