"""/api/v1/indicators and /api/v1/indicators/ranking: shapes, scopes, errors, who may ask."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from haicap.dossiers.models import Dossier
from haicap.dossiers.tests.test_api import bearer

pytestmark = pytest.mark.django_db
URL = "/api/v1/indicators"
OCTOBER = {"from": "2026-10-01", "to": "2026-10-31"}


def test_the_indicators_of_a_ward(
    client: Client, refreshed: dict[str, Dossier], alice: User
) -> None:
    response = client.get(URL, {"unit": "00004", **OCTOBER}, headers=bearer(alice))
    assert response.status_code == 200
    body = response.json()
    assert body["unit"] == {"code": "00004", "name": "Phường Ba Đình"}
    assert (body["from"], body["to"]) == ("2026-10-01", "2026-10-31")
    assert {key: body[key] for key in ("received", "finished", "on_time", "late")} == {
        "received": 4,
        "finished": 4,
        "on_time": 3,
        "late": 1,
    }
    assert body["online_share"] == 0.25
    assert body["satisfaction"] == 1.0
    assert body["avg_working_days"] == pytest.approx(2.62)
    assert set(body["index"]) >= {
        "total",
        "transparency",
        "progress",
        "online",
        "digitisation",
        "satisfaction",
    }
    assert body["index"]["progress"] == 15.0
    assert "series" not in body or body["series"] is None


def test_a_series_and_the_nation(client: Client, refreshed: dict[str, Dossier], dave: User) -> None:
    response = client.get(URL, {"period": "day", **OCTOBER}, headers=bearer(dave))
    body = response.json()
    assert body["unit"] is None  # the nation
    assert body["received"] == 4
    days = body["series"]
    assert len(days) == 31
    assert [d["received"] for d in days[4:6]] == [3, 1]  # 5 and 6 October
    assert sum(d["finished"] for d in days) == body["finished"]
    weeks = client.get(URL, {"unit": "01", "period": "month", **OCTOBER}, headers=bearer(dave))
    assert [p["from"] for p in weeks.json()["series"]] == ["2026-10-01"]


def test_the_ranking_of_a_provinces_communes(
    client: Client, refreshed: dict[str, Dossier], dave: User
) -> None:
    response = client.get(f"{URL}/ranking", {"province": "01", **OCTOBER}, headers=bearer(dave))
    assert response.status_code == 200
    body = response.json()
    assert body["province"]["name"] == "Thành phố Hà Nội"
    items = body["items"]
    assert len(items) == 126  # Hà Nội's communes and wards since 2025
    assert items[0]["rank"] == 1
    assert items[0]["unit"]["code"] == "00004"
    assert items[1]["rank"] is None  # no dossier: no index, no rank
    assert items[1]["index"]["total"] is None


@pytest.mark.parametrize(
    ("query", "status", "field"),
    [
        ({"unit": "99999"}, 404, None),
        ({"from": "2026-13-01"}, 422, "from"),
        ({"from": "2026-10-31", "to": "2026-10-01"}, 422, "from"),
        ({"period": "week"}, 422, "period"),
    ],
)
def test_bad_questions_get_clear_errors(
    client: Client, alice: User, query: dict[str, str], status: int, field: str | None
) -> None:
    response = client.get(URL, query, headers=bearer(alice))
    assert response.status_code == status
    error = response.json()["error"]
    assert error["message"]
    assert error.get("field") == field


def test_the_ranking_needs_a_province(client: Client, alice: User) -> None:
    response = client.get(f"{URL}/ranking", {"province": "00004"}, headers=bearer(alice))
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "province"


def test_who_may_ask(client: Client, django_user_model: type[User], alice: User) -> None:
    assert client.get(URL).status_code == 401  # nobody
    citizen = django_user_model.objects.create_user("citizen", password="x-long-pass-1")
    client.force_login(citizen)
    refused = client.get(URL)
    assert refused.status_code == 403  # a citizen: indicators are for officers
    assert refused.json()["error"]["code"] == "forbidden"
    client.force_login(alice)
    assert client.get(URL).status_code == 200  # an officer, signed in
