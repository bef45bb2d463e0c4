"""/api/v1/dossiers: create with Idempotency-Key, list, read with timeline, act; errors."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from haicap.conftest import BIRTH, MARITAL
from haicap.core.actors import SYSTEM
from haicap.dossiers.models import Dossier
from haicap.staff.actions import do_create_api_token

BODY = {
    "procedure": MARITAL,
    "unit": "00004",
    "channel": 1,
    "applicant": {
        "full_name": "Nguyễn Văn An",
        "id_number": "001203004567",
        "birth_date": "1990-01-02",
        "phone": "0912345678",
        "email": "an@example.vn",
        "address": "12 Phố Huế",
    },
}


def bearer(user: User) -> dict[str, str]:
    _record, token = do_create_api_token(user.username, actor=SYSTEM)
    return {"Authorization": f"Bearer {token}"}


def post(client: Client, url: str, body: dict[str, Any], headers: dict[str, str]) -> Any:
    return client.post(url, body, content_type="application/json", headers=headers)


def test_create_answers_201_with_the_dossier(client: Client, alice: User) -> None:
    response = post(client, "/api/v1/dossiers", BODY, bearer(alice))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["code"].startswith("H01.00004-")
    assert body["status"] == 2
    assert body["due_at"].endswith("17:00:00+07:00")
    assert body["timeline"][0]["action"] == "intake"
    assert body["applicant"]["id_number"] == "001203004567"


def test_an_idempotency_key_makes_a_retry_return_the_first(client: Client, alice: User) -> None:
    headers = {**bearer(alice), "Idempotency-Key": "7f1c2a"}
    first = post(client, "/api/v1/dossiers", BODY, headers)
    again = post(client, "/api/v1/dossiers", BODY, headers)
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.json()["code"] == first.json()["code"]
    assert Dossier.objects.count() == 1
    different = post(client, "/api/v1/dossiers", {**BODY, "procedure": BIRTH}, headers)
    assert different.status_code == 409
    assert different.json()["error"]["code"] == "idempotency_key_reused"


def test_online_channel_files_a_new_dossier(client: Client, alice: User) -> None:
    body = post(client, "/api/v1/dossiers", {**BODY, "channel": 2}, bearer(alice)).json()
    assert body["status"] == 1
    assert body["due_at"] is None


@pytest.mark.parametrize(
    ("change", "status", "field"),
    [
        ({"procedure": "NOPE"}, 404, None),
        ({"unit": "99999"}, 404, None),
        ({"channel": 4}, 422, "channel"),
        ({"applicant": {"full_name": "An", "id_number": "12"}}, 422, "applicant.id_number"),
        ({"applicant": {"full_name": "An", "phone": "abc"}}, 422, "applicant.phone"),
        (
            {"applicant": {"full_name": "An", "birth_date": "1990-13-40"}},
            422,
            "applicant.birth_date",
        ),
        ({"applicant": {}}, 422, "applicant.full_name"),
        ({"pages": -1}, 422, "pages"),
    ],
)
def test_bad_input_is_a_clear_4xx_and_writes_nothing(
    client: Client, alice: User, change: dict[str, Any], status: int, field: str | None
) -> None:
    response = post(client, "/api/v1/dossiers", {**BODY, **change}, bearer(alice))
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert error["message"]
    assert error.get("field") == field
    assert Dossier.objects.count() == 0


def test_malformed_json_is_422(client: Client, alice: User) -> None:
    response = client.post(
        "/api/v1/dossiers", "{not json", content_type="application/json", headers=bearer(alice)
    )
    assert response.status_code in {400, 422}
    assert "error" in response.json()


@pytest.mark.parametrize("field", ["reason", "note"])
def test_a_lone_surrogate_is_refused_and_changes_nothing(
    client: Client, alice: User, bob: User, make_dossier: Any, field: str
) -> None:
    """JSON may escape half a UTF-16 pair (\\ud800); no column can hold it, so the input
    guard refuses it with the field's name instead of the database failing with a 500."""
    dossier = make_dossier(alice)
    response = client.post(
        f"/api/v1/dossiers/{dossier.code}/actions/refuse_intake",
        b'{"%s": "x\\ud800y", "version": 1}' % field.encode(),
        content_type="application/json",
        headers=bearer(bob),
    )
    assert response.status_code == 422
    assert response.json()["error"]["field"] == field
    dossier.refresh_from_db()
    assert dossier.version == 1


def test_actions_move_the_dossier_and_check_versions(
    client: Client, alice: User, bob: User, make_dossier: Any
) -> None:
    dossier = make_dossier(alice)
    url = f"/api/v1/dossiers/{dossier.code}/actions"
    assigned = post(client, f"{url}/assign", {"assignee": "alice", "version": 1}, bearer(bob))
    assert assigned.status_code == 200, assigned.content
    assert assigned.json()["status"] == 4
    stale = post(client, f"{url}/approve", {"version": 1}, bearer(bob))
    assert stale.status_code == 409
    assert stale.json()["error"]["code"] == "stale_version"
    approved = post(client, f"{url}/approve", {"version": 2}, bearer(bob))
    assert approved.json()["outcome"] == "approved"
    not_allowed = post(client, f"{url}/return_result", {}, bearer(alice))
    assert not_allowed.status_code == 409
    forbidden = post(client, f"{url}/stop", {"reason": "x"}, bearer(alice))  # receiver, not leader
    assert forbidden.status_code == 403
    unknown = post(client, f"{url}/teleport", {}, bearer(bob))
    assert unknown.status_code == 422
    missing_reason = post(client, f"{url}/reject", {"reason": " "}, bearer(bob))
    assert missing_reason.status_code in {409, 422}


def test_get_shows_the_timeline_and_allowed_actions(
    client: Client, alice: User, make_dossier: Any
) -> None:
    dossier = make_dossier(alice)
    body = client.get(f"/api/v1/dossiers/{dossier.code}", headers=bearer(alice)).json()
    assert [event["action"] for event in body["timeline"]] == ["intake"]
    assert "assign" in body["allowed_actions"]
    assert "approve" not in body["allowed_actions"]


def test_list_filters_and_query_count_is_flat(
    client: Client, alice: User, make_dossier: Any
) -> None:
    headers = bearer(alice)
    for _ in range(12):
        make_dossier(alice)
    client.get("/api/v1/dossiers", headers=headers)  # the token's first use writes last_used_at
    counts = []
    for size in (2, 12):
        with CaptureQueriesContext(connection) as queries:
            body = client.get(f"/api/v1/dossiers?page_size={size}", headers=headers).json()
        assert len(body["items"]) == size
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert client.get("/api/v1/dossiers?status=4", headers=headers).json()["count"] == 0
    assert client.get("/api/v1/dossiers?status=2&unit=00004", headers=headers).json()["count"] == 12
    assert client.get("/api/v1/dossiers?overdue=true", headers=headers).json()["count"] == 0
    by_name = client.get("/api/v1/dossiers?q=nguyen+thi+binh", headers=headers).json()
    assert by_name["count"] == 12
    by_id = client.get("/api/v1/dossiers?q=001203004567", headers=headers).json()
    assert by_id["count"] == 12


def test_procedure_endpoints(client: Client, db: None) -> None:
    listing = client.get("/api/v1/procedures?q=khai+sinh").json()
    assert {item["code"] for item in listing["items"]} >= {BIRTH}
    detail = client.get(f"/api/v1/procedures/{BIRTH}").json()
    assert detail["time"]["kind"] == "same_day"
    assert detail["papers"]
    due = client.get(f"/api/v1/procedures/{MARITAL}/due?received=2026-02-13T10:00").json()
    assert due["due_at"] == "2026-02-25T17:00:00+07:00"
    assert client.get("/api/v1/procedures/NOPE").status_code == 404
    assert client.get(f"/api/v1/procedures/{MARITAL}/due?received=yesterday").status_code == 422
