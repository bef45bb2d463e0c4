"""Open311 GeoReport v2: every endpoint, its required fields, the spec's error shape."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from defusedxml import ElementTree as ET
from django.test import Client, override_settings

from haicap.feedback.models import Channel, Report

pytestmark = pytest.mark.django_db
BASE = "/open311/v2"
REQUEST_FIELDS = {
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
}


def post(client: Client, key: str, **data: Any) -> Any:
    body = {
        "api_key": key,
        "service_code": "moi-truong",
        "address_string": "Phường Trúc Bạch, Quận Ba Đình, Hà Nội",
        "description": "Đèn đường hỏng",
        **data,
    }
    return client.post(f"{BASE}/requests.json", {k: v for k, v in body.items() if v is not None})


def assert_error(response: Any, status: int) -> None:
    assert response.status_code == status
    body = response.json()
    assert isinstance(body, list)
    assert set(body[0]) == {"code", "description"}
    assert body[0]["code"] == status


def test_discovery_in_json_and_xml(client: Client) -> None:
    body = client.get(f"{BASE}/discovery.json").json()
    assert body["endpoints"][0]["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert "application/json" in body["endpoints"][0]["formats"]
    xml = client.get(f"{BASE}/discovery.xml")
    assert xml["Content-Type"].startswith("text/xml")
    assert ET.fromstring(xml.content).tag == "discovery"


def test_services_and_their_definitions(client: Client) -> None:
    services = client.get(f"{BASE}/services.json").json()
    codes = {s["service_code"] for s in services}
    assert {"moi-truong", "khieu-nai-tthc"} <= codes
    assert set(services[0]) >= {"service_code", "service_name", "metadata", "type", "group"}
    # XML is the default without an extension.
    root = ET.fromstring(client.get(f"{BASE}/services").content)
    assert root.tag == "services"
    assert root.find("service/service_code") is not None
    complaint = client.get(f"{BASE}/services/khieu-nai-tthc.json").json()
    attributes = {a["code"]: a for a in complaint["attributes"]}
    assert attributes["dossier_code"]["required"] is True
    assert_error(client.get(f"{BASE}/services/khong-co.json"), 404)


def test_post_files_a_report_and_returns_its_id_and_token(client: Client, api_key: str) -> None:
    response = post(client, api_key, **{"attribute[public]": "yes", "phone": "0987654321"})
    assert response.status_code == 201
    (answer,) = response.json()
    report = Report.objects.get(code=answer["service_request_id"])
    assert report.unit.code == "00004"
    assert report.channel == Channel.APP
    assert report.is_public
    token = client.get(f"{BASE}/tokens/{answer['token']}.json").json()
    assert token == [{"service_request_id": report.code, "token": report.token}]
    (shown,) = client.get(f"{BASE}/requests/{report.code}.json").json()
    assert set(shown) >= REQUEST_FIELDS
    assert shown["status"] == "open"
    assert shown["agency_responsible"] == "Phường Ba Đình"
    assert shown["agency_code"] == "00004"
    assert shown["expected_datetime"].endswith("+07:00")
    # No personal data in public answers.
    text = client.get(f"{BASE}/requests.json").content.decode()
    assert report.code in text
    for secret in ("0987654321", "Nguyễn", report.secret, "an@example.vn"):
        assert secret not in text


def test_post_a_retry_with_the_same_client_key_makes_no_duplicate(
    client: Client, api_key: str
) -> None:
    first = post(client, api_key, **{"attribute[client_key]": "abc-1"}).json()
    second = post(client, api_key, **{"attribute[client_key]": "abc-1"}).json()
    assert first[0]["service_request_id"] == second[0]["service_request_id"]
    assert Report.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "status"),
    [
        ({"api_key": "wrong"}, 403),
        ({"service_code": "khong-co"}, 404),
        ({"service_code": ""}, 400),
        ({"address_string": ""}, 400),
        ({"description": "x" * 4001}, 400),
        ({"description": "a\x00b"}, 400),
        ({"lat": "abc", "long": "105.8", "address_string": ""}, 400),
        ({"service_code": "khieu-nai-tthc"}, 400),
    ],
)
def test_bad_posts_store_nothing(
    client: Client, api_key: str, data: dict[str, str], status: int
) -> None:
    assert_error(post(client, api_key, **data), status)
    assert not Report.objects.exists()


def test_coordinates_in_another_province_than_the_jurisdiction_are_refused(
    client: Client, api_key: str
) -> None:
    # Hà Nội's Ba Đình, said to be in Quảng Ninh (22): refused, not routed 100 km away.
    response = post(
        client, api_key, lat="21.0386", long="105.838", address_string="", jurisdiction_id="22"
    )
    assert_error(response, 400)
    assert "Hà Nội" in response.json()[0]["description"]
    assert not Report.objects.exists()
    same = post(client, api_key, lat="21.0386", long="105.838", jurisdiction_id="01")
    assert same.status_code == 201
    assert Report.objects.get().unit.code == "00004"


def test_post_with_coordinates_is_a_suggestion(client: Client, api_key: str) -> None:
    response = post(client, api_key, lat="21.0386", long="105.838", address_string="")
    assert response.status_code == 201
    report = Report.objects.get()
    assert report.unit.code == "00004"
    assert not report.unit_confirmed


def test_get_requests_filters(client: Client, file_report: Callable[..., Report]) -> None:
    shown = file_report(public=True)
    hidden = file_report(public=False)
    listed = client.get(f"{BASE}/requests.json").json()
    assert [r["service_request_id"] for r in listed] == [shown.code]
    assert client.get(f"{BASE}/requests.json?status=closed").json() == []
    assert len(client.get(f"{BASE}/requests.json?status=open&service_code=moi-truong").json()) == 1
    assert client.get(f"{BASE}/requests.json?service_code=giao-thong").json() == []
    assert len(client.get(f"{BASE}/requests.json?service_request_id={shown.code}").json()) == 1
    assert_error(client.get(f"{BASE}/requests/{hidden.code}.json"), 404)
    assert_error(client.get(f"{BASE}/requests.json?start_date=yesterday"), 400)
    assert_error(client.get(f"{BASE}/requests.json?start_date=2026-13-45T00:00:00Z"), 400)
    assert_error(client.get(f"{BASE}/requests.json?start_date=9999-01-01T00:00:00Z"), 400)
    assert_error(
        client.get(
            f"{BASE}/requests.json?start_date=2026-02-01T00:00:00Z&end_date=2026-01-01T00:00:00Z"
        ),
        400,
    )
    assert_error(client.get(f"{BASE}/requests.json?status=maybe"), 400)
    root = ET.fromstring(client.get(f"{BASE}/requests.xml").content)
    assert root.tag == "service_requests"
    found = root.find("request/service_request_id")
    assert found is not None
    assert found.text == shown.code


def test_service_request_updates(client: Client, file_report: Callable[..., Report]) -> None:
    report = file_report(public=True)
    updates = client.get(f"{BASE}/servicerequestupdates.json").json()
    assert updates[0]["service_request_id"] == report.code
    assert set(updates[0]) == {
        "update_id",
        "service_request_id",
        "status",
        "updated_datetime",
        "description",
        "media_url",
    }


def test_unknown_token_and_wrong_method(client: Client) -> None:
    assert_error(client.get(f"{BASE}/tokens/nothing.json"), 404)
    assert_error(client.delete(f"{BASE}/services.json"), 405)


@override_settings(RATE_LIMIT_FEEDBACK_CLIENT="2/m")
def test_posts_are_rate_limited_per_client(client: Client, api_key: str) -> None:
    assert post(client, api_key).status_code == 201
    assert post(client, api_key).status_code == 201
    assert_error(post(client, api_key), 429)


@override_settings(RATE_LIMIT_FEEDBACK_KEY="1/m")
def test_posts_are_rate_limited_per_key(api_key: str) -> None:
    one, two = Client(REMOTE_ADDR="10.0.0.1"), Client(REMOTE_ADDR="10.0.0.2")
    assert post(one, api_key).status_code == 201
    assert_error(post(two, api_key), 429)


def test_the_list_takes_the_same_queries_for_few_and_many(
    client: Client, file_report: Callable[..., Report]
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"{BASE}/requests.json").status_code == 200
        return len(captured)

    file_report(public=True)
    few = count()
    for _ in range(10):
        file_report(public=True)
    assert count() == few
    assert len(client.get(f"{BASE}/requests.json").json()) == 11


def test_phones_and_ids_stay_out_of_the_logs(
    client: Client, api_key: str, caplog: pytest.LogCaptureFixture
) -> None:
    import logging

    with caplog.at_level(logging.DEBUG):
        post(client, api_key, phone="0987654321", description="CCCD 001203004567 của tôi")
        post(client, api_key, phone="0987654321", service_code="khong-co")
    text = "\n".join(record.getMessage() for record in caplog.records)
    assert "0987654321" not in text
    assert "001203004567" not in text
