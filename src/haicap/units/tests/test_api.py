"""/api/v1/units: shapes, dates, resolve, errors and flat query counts."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def get(client: Client, url: str, status: int = 200) -> Any:
    response = client.get(url)
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def test_unit_by_code_today_and_on_a_date(client: Client) -> None:
    assert get(client, "/api/v1/units/00004")["name"] == "Phường Ba Đình"
    old = get(client, "/api/v1/units/00004?on=2025-06-30")
    assert old["name"] == "Phường Trúc Bạch"
    assert old["parent"]["name"] == "Quận Ba Đình"
    assert old["successors"][0]["unit"]["name"] == "Phường Ba Đình"


def test_successors_and_predecessors(client: Client) -> None:
    successors = get(client, "/api/v1/units/00004/successors?on=2025-06-30")
    assert [s["unit"]["code"] for s in successors] == ["00004"]
    predecessors = get(client, "/api/v1/units/00004/predecessors")
    names = {p["unit"]["name"] for p in predecessors}
    assert "Phường Trúc Bạch" in names
    assert all(p["effective_date"] == "2025-07-01" for p in predecessors)


def test_resolve(client: Client) -> None:
    body = get(client, "/api/v1/units/resolve?code=001&on=2025-09-01")
    assert body["source"]["name"] == "Quận Ba Đình"
    assert [(u["code"], u["is_default"]) for u in body["units"]] == [("01", True)]


def test_list_filters_and_pages(client: Client) -> None:
    body = get(client, "/api/v1/units?province=01&tier=commune&page_size=20&page=2")
    assert body["count"] == 126
    assert body["pages"] == 7
    assert len(body["items"]) == 20
    assert {item["province"]["code"] for item in body["items"]} == {"01"}
    legacy = get(client, "/api/v1/units?tier=province&on=2025-01-01&page_size=100")
    assert legacy["count"] == 63


def test_search_without_diacritics(client: Client) -> None:
    body = get(client, "/api/v1/units?q=hoan+kiem")
    assert body["items"][0]["name"] == "Phường Hoàn Kiếm"


@pytest.mark.parametrize(
    ("url", "status", "code", "field"),
    [
        ("/api/v1/units/99999", 404, "not_found", None),
        ("/api/v1/units/00004?on=2024-13-01", 422, "invalid", "on"),
        ("/api/v1/units?on=yesterday", 422, "invalid", "on"),
        ("/api/v1/units?tier=hamlet", 422, "invalid", "tier"),
        ("/api/v1/units?page=0", 422, "invalid", "page"),
        ("/api/v1/units?page_size=5000", 422, "invalid", "page_size"),
        ("/api/v1/units?province=00004", 422, "invalid", "province"),
        ("/api/v1/units?province=77777", 404, "not_found", None),
        ("/api/v1/units/resolve", 422, "invalid", "code"),
        ("/api/v1/units/resolve?code=11948&on=2024-01-01", 422, "invalid", "on"),
        ("/api/v1/units/bad%20code", 422, "invalid", "code"),
        ("/api/v1/nowhere", 404, "not_found", None),
    ],
)
def test_errors_have_one_shape(
    client: Client, url: str, status: int, code: str, field: str | None
) -> None:
    body = get(client, url, status)
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    assert body["error"].get("field") == field


def test_list_query_count_is_flat(client: Client) -> None:
    counts = []
    for size in (10, 100):
        with CaptureQueriesContext(connection) as queries:
            body = get(client, f"/api/v1/units?tier=commune&page_size={size}")
        assert len(body["items"]) == size
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 2


def test_openapi_schema_is_served(client: Client) -> None:
    schema = get(client, "/api/v1/openapi.json")
    assert schema["openapi"].startswith("3.1")
    assert "/api/v1/units/resolve" in schema["paths"]
    assert client.get("/api/v1/docs").status_code == 200
