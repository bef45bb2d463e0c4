"""The API as officers use it, and who gets 404: another agency's officer, a citizen, the
anonymous; search without diacritics; registers as JSON, PDF and XLSX."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from haicap.core.actors import SYSTEM
from haicap.documents.models import Agency, Document
from haicap.staff.actions import do_create_api_token

pytestmark = pytest.mark.django_db


def client_for(user: User) -> Client:
    _record, token = do_create_api_token(user.username, actor=SYSTEM)
    return Client(headers={"Authorization": f"Bearer {token}"})


def create(client: Client, target: Agency, **extra: Any) -> Any:
    body = {
        "direction": "out",
        "agency": target.code,
        "type": "QĐ",
        "subject": "Quyết định khen thưởng",
        **extra,
    }
    return client.post("/api/v1/documents", body, content_type="application/json")


def act(client: Client, document_id: int, action: str, **body: Any) -> Any:
    return client.post(
        f"/api/v1/documents/{document_id}/actions/{action}", body, content_type="application/json"
    )


def test_a_draft_is_numbered_through_the_api(alice: User, bob: User, ba_dinh: Agency) -> None:
    answer = create(client_for(alice), ba_dinh)
    assert answer.status_code == 201, answer.content
    document_id = answer.json()["id"]
    boss = client_for(bob)
    assert act(boss, document_id, "number").status_code == 409  # not approved yet
    assert act(boss, document_id, "approve").status_code == 200
    issued = act(boss, document_id, "issue").json()
    assert (issued["number"], issued["notation"], issued["number_text"]) == (
        1,
        "QĐ-UBND",
        "01/QĐ-UBND",
    )
    assert issued["printed_number"] == "Số: 01/QĐ-UBND"


def test_bad_input_answers_4xx_in_the_error_shape(alice: User, ba_dinh: Agency) -> None:
    client = client_for(alice)
    unknown = create(client, ba_dinh, agency="H99.NOPE")
    assert unknown.status_code == 404
    assert unknown.json()["error"]["field"] == "agency"
    assert create(client, ba_dinh, type="ZZ").status_code == 422
    assert create(client, ba_dinh, subject="a\x00b").status_code == 422
    incoming = create(client_for(alice), ba_dinh, direction="in")
    assert incoming.status_code in (403, 422)
    assert create(client, ba_dinh, subject="x" * 5000).status_code == 422
    assert not Document.objects.exists()


def test_incoming_needs_the_senders_number(bob: User, ba_dinh: Agency) -> None:
    client = client_for(bob)
    assert create(client, ba_dinh, direction="in", sender_name="Sở Tư pháp").status_code == 422
    answer = create(
        client,
        ba_dinh,
        direction="in",
        type="CV",
        sender_name="Sở Tư pháp",
        number=7,
        notation="STP-HCTP",
        issued_on="2026-10-01",
    )
    assert answer.status_code == 201
    assert answer.json()["arrival_number"] == 1
    year_9999 = create(
        client,
        ba_dinh,
        direction="in",
        sender_name="X",
        number=1,
        notation="A",
        issued_on="9999-01-01",
    )
    assert year_9999.status_code == 422


def test_another_agencys_officer_citizens_and_anonymous_get_404(
    alice: User, carol_clerk: User, frank: User, ba_dinh: Agency
) -> None:
    document_id = create(client_for(alice), ba_dinh).json()["id"]
    assert client_for(carol_clerk).get(f"/api/v1/documents/{document_id}").status_code == 404
    citizen = User.objects.create_user("citizen", password="pw-citizen-12345")
    assert client_for(citizen).get(f"/api/v1/documents/{document_id}").status_code == 404
    assert Client().get(f"/api/v1/documents/{document_id}").status_code == 401
    # frank, the auditor of Ba Đình, reads; alice's colleague bob too.
    assert client_for(frank).get(f"/api/v1/documents/{document_id}").status_code == 200
    listed = client_for(carol_clerk).get("/api/v1/documents").json()
    assert listed["count"] == 0
    assert listed["items"] == []


def test_a_restricted_document_is_only_for_the_people_named(
    alice: User, bob: User, ba_dinh: Agency
) -> None:
    document_id = create(client_for(alice), ba_dinh, restricted=True).json()["id"]
    assert client_for(alice).get(f"/api/v1/documents/{document_id}").status_code == 200
    assert client_for(bob).get(f"/api/v1/documents/{document_id}").status_code == 404


def test_search_ignores_diacritics_and_finds_numbers(
    alice: User, bob: User, ba_dinh: Agency
) -> None:
    client = client_for(bob)
    first = create(client, ba_dinh, subject="Quyết định thành lập tổ công tác").json()["id"]
    create(client, ba_dinh, type="TB", subject="Thông báo lịch họp")
    act(client, first, "approve")
    act(client, first, "issue")
    for query, expected in [
        ("quyet dinh", 1),
        ("to cong", 1),
        ("01/QĐ-UBND", 1),
        ("1/qd", 1),
        ("lich hop", 1),
        ("khong co", 0),
    ]:
        found = client.get("/api/v1/documents", {"q": query}).json()
        assert found["count"] == expected, query


def test_the_list_costs_the_same_queries_for_10_and_40_documents(
    bob: User, ba_dinh: Agency
) -> None:
    client = client_for(bob)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/api/v1/documents").status_code == 200
        return len(captured)

    for _n in range(10):
        create(client, ba_dinh)
    few = queries()
    for _n in range(30):
        create(client, ba_dinh)
    assert queries() == few


def test_agencies_of_a_unit(alice: User, ba_dinh: Agency) -> None:
    found = client_for(alice).get("/api/v1/agencies", {"unit": "00004"}).json()
    assert found["count"] >= 1
    committee = next(a for a in found["items"] if a["kind"] == "committee")
    assert committee["abbreviation"] == "UBND"
    assert committee["code"] == ba_dinh.code


def test_registers_as_rows_pdf_and_xlsx(bob: User, ba_dinh: Agency) -> None:
    client = client_for(bob)
    document_id = create(client, ba_dinh).json()["id"]
    act(client, document_id, "approve")
    act(client, document_id, "issue")
    year = timezone.localdate().year
    url = f"/api/v1/documents/registers/{ba_dinh.code}/{year}"
    rows = client.get(url, {"direction": "out"}).json()
    assert rows[0][0] == "Số, ký hiệu văn bản"
    assert rows[1][0] == "01/QĐ-UBND"
    pdf = client.get(url, {"direction": "out", "format": "pdf"})
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF-")
    xlsx = client.get(url, {"direction": "in", "format": "xlsx"})
    assert xlsx.status_code == 200
    assert xlsx.content.startswith(b"PK")
    assert client.get(f"/api/v1/documents/registers/{ba_dinh.code}/9999").status_code == 422
    assert client.get(f"/api/v1/documents/registers/H99.NOPE/{year}").status_code == 404


def test_the_openapi_lists_every_route(alice: User) -> None:
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    for route in [
        "/api/v1/documents",
        "/api/v1/documents/{document_id}",
        "/api/v1/agencies",
        "/api/v1/documents/{document_id}/actions/{action}",
        "/api/v1/documents/registers/{agency_code}/{year}",
        "/api/v1/documents/exchange/inbox",
    ]:
        assert route in paths, route
    assert "404" in paths["/api/v1/documents/{document_id}"]["get"]["responses"]
