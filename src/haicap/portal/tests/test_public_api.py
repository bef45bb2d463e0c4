"""/api/v1/public/: file online, look up by code and secret, send supplements, rate."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from haicap.conftest import BIRTH, MARITAL, example_form, example_papers
from haicap.dossiers import actions
from haicap.dossiers.models import Dossier, Status

pytestmark = pytest.mark.django_db

BODY = {
    "procedure": BIRTH,
    "unit": "00004",
    "applicant": {
        "full_name": "Phạm Minh Châu",
        "id_number": "001190001111",
        "phone": "0901234567",
        "email": "chau@example.vn",
    },
}


def complete(body: dict[str, Any], code: str = BIRTH) -> dict[str, Any]:
    """The body with the procedure's example e-form and its papers (base64, or the desk)."""
    papers = example_papers(code)
    return body | {
        "form": example_form(code),
        "papers": [
            {"paper": paper, "file_name": "giay.pdf", "content_base64": b64(upload.content)}
            for paper, upload in papers["paper_uploads"]
        ],
        "at_desk": papers["at_desk"],
    }


def b64(content: bytes) -> str:
    return base64.b64encode(content).decode()


def file(
    client: Client, body: dict[str, Any] | None = None, headers: dict[str, str] | None = None
) -> Any:
    return client.post(
        "/api/v1/public/dossiers",
        complete(BODY) if body is None else body,
        content_type="application/json",
        headers=headers or {},
    )


def test_the_catalogue_is_public(client: Client) -> None:
    listing = client.get("/api/v1/public/procedures?q=dang+ky+khai+sinh").json()
    assert BIRTH in {item["code"] for item in listing["items"]}
    assert client.get(f"/api/v1/public/procedures/{BIRTH}").json()["papers"]


def test_filing_answers_201_with_code_and_secret(client: Client) -> None:
    response = file(client)
    assert response.status_code == 201, response.content
    body = response.json()
    dossier = Dossier.objects.get(code=body["code"])
    assert body["secret"] == dossier.secret
    assert dossier.status == Status.NEW
    assert dossier.channel == 2


def test_a_retry_with_the_key_files_once(client: Client) -> None:
    first = file(client, headers={"Idempotency-Key": "phone-42"})
    again = file(client, headers={"Idempotency-Key": "phone-42"})
    assert first.json()["code"] == again.json()["code"]
    assert again["Idempotent-Replayed"] == "true"
    assert Dossier.objects.count() == 1


def test_procedures_not_offered_online_are_refused(client: Client) -> None:
    response = file(client, {**BODY, "procedure": "HCP.CT.002"})  # signature certification
    assert response.status_code == 422
    assert Dossier.objects.count() == 0


def test_lookup_shows_progress_without_personal_numbers(client: Client) -> None:
    created = file(client).json()
    response = client.get(f"/api/v1/public/dossiers/{created['code']}?secret={created['secret']}")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == 1
    assert body["applicant"] == "P. M. Châu"
    assert body["timeline"][0]["text"]
    text = response.content.decode()
    assert "001190001111" not in text
    assert "0901234567" not in text


def test_a_wrong_secret_and_an_unknown_code_answer_alike(client: Client) -> None:
    created = file(client).json()
    wrong = client.get(f"/api/v1/public/dossiers/{created['code']}?secret=WRONGSEC")
    unknown = client.get("/api/v1/public/dossiers/01.00004-000101-9999?secret=WRONGSEC")
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.json() == unknown.json()


def test_the_lookup_shows_a_change_once_committed(
    client: Client, alice: Any, django_capture_on_commit_callbacks: Any
) -> None:
    created = file(client).json()
    url = f"/api/v1/public/dossiers/{created['code']}?secret={created['secret']}"
    assert client.get(url).json()["status"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_accept_dossier(Dossier.objects.get(code=created["code"]), actor=alice)
    assert client.get(url).json()["status"] == 2


def test_supplement_by_upload(client: Client, alice: Any, make_dossier: Any) -> None:
    dossier = make_dossier(alice, procedure=MARITAL)
    actions.do_request_supplement(dossier, missing=["Tờ khai"], reason="Thiếu", actor=alice)
    url = f"/api/v1/public/dossiers/{dossier.code}"
    view = client.get(f"{url}?secret={dossier.secret}").json()
    assert view["supplement_requested"]["missing"] == ["Tờ khai"]
    scan = SimpleUploadedFile("to-khai.pdf", b"%PDF-1.7\n%%EOF", content_type="application/pdf")
    response = client.post(f"{url}/supplements", {"secret": dossier.secret, "files": [scan]})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == Status.ACCEPTED
    assert dossier.papers.filter(stage="supplement").count() == 1
    fake = SimpleUploadedFile("x.pdf", b"not a pdf", content_type="application/pdf")
    refused = client.post(f"{url}/supplements", {"secret": dossier.secret, "files": [fake]})
    assert refused.status_code in {409, 422}


def test_rating_once_after_the_result(
    client: Client, alice: Any, bob: Any, make_dossier: Any
) -> None:
    dossier = make_dossier(alice)
    url = f"/api/v1/public/dossiers/{dossier.code}/rating"
    body = {"secret": dossier.secret, "score": 3, "comment": "Nhanh"}
    early = client.post(url, body, content_type="application/json")
    assert early.status_code == 409
    actions.do_assign_dossier(dossier, assignee=alice, actor=bob)
    actions.do_approve_dossier(dossier, actor=bob)
    actions.do_mark_result_ready(dossier, actor=bob)
    actions.do_return_result(dossier, actor=alice)
    assert client.post(url, body, content_type="application/json").status_code == 201
    again = client.post(url, body, content_type="application/json")
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "already_rated"
    bad = client.post(url, {**body, "score": 5}, content_type="application/json")
    assert bad.status_code == 422


@override_settings(RATE_LIMIT_LOOKUP="3/m")
def test_lookups_are_rate_limited(client: Client) -> None:
    statuses = [
        client.get("/api/v1/public/dossiers/01.00004-000101-0001?secret=X").status_code
        for _ in range(5)
    ]
    assert statuses[:3] == [404, 404, 404]
    assert statuses[3:] == [429, 429]
    limited = client.get("/api/v1/public/dossiers/01.00004-000101-0001?secret=X")
    assert limited.json()["error"]["code"] == "rate_limited"
