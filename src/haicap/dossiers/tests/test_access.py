"""Who sees which dossier: one commune, its province, never another province.

Missing and forbidden both answer 404, in the API and on the pages.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from haicap.core.actors import SYSTEM
from haicap.core.errors import NotFound
from haicap.dossiers.access import actions_for, get_dossier_for, visible_dossiers
from haicap.dossiers.models import Dossier
from haicap.staff.actions import do_create_api_token


def bearer(user: User) -> dict[str, str]:
    _record, token = do_create_api_token(user.username, actor=SYSTEM)
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def ba_dinh_dossier(alice: User, make_dossier: Any) -> Dossier:
    dossier: Dossier = make_dossier(alice)
    return dossier


def test_who_sees_a_ba_dinh_dossier(
    ba_dinh_dossier: Dossier,
    alice: User,
    bob: User,
    dave: User,
    frank: User,
    carol: User,
    erin: User,
) -> None:
    for officer in (alice, bob, dave, frank):  # its commune, its province, its auditor
        assert get_dossier_for(officer, ba_dinh_dossier.code).pk == ba_dinh_dossier.pk
    for officer in (carol, erin):  # another commune; another province
        with pytest.raises(NotFound):
            get_dossier_for(officer, ba_dinh_dossier.code)
        assert not visible_dossiers(officer).filter(pk=ba_dinh_dossier.pk).exists()


def test_missing_and_forbidden_look_the_same(carol: User, ba_dinh_dossier: Dossier) -> None:
    with pytest.raises(NotFound) as forbidden:
        get_dossier_for(carol, ba_dinh_dossier.code)
    with pytest.raises(NotFound) as missing:
        get_dossier_for(carol, "H01.00070-000000-9999")
    assert forbidden.value.status == missing.value.status == 404


def test_an_auditor_sees_but_may_not_act(frank: User, ba_dinh_dossier: Dossier) -> None:
    assert actions_for(frank, ba_dinh_dossier) == []
    with pytest.raises(NotFound):
        get_dossier_for(frank, ba_dinh_dossier.code, write=True)


def test_the_province_dossier_is_seen_by_the_receiving_commune_and_the_province(
    alice: User, carol: User, dave: User, make_dossier: Any
) -> None:
    dossier = make_dossier(alice, procedure="HCP.TP.001")  # province tier, filed at Ba Đình
    assert get_dossier_for(alice, dossier.code)
    assert get_dossier_for(dave, dossier.code)
    with pytest.raises(NotFound):
        get_dossier_for(carol, dossier.code)
    # Only the province decides it; the commune still returns the result.
    assert "approve" not in actions_for(alice, dossier)


def test_the_api_answers_404_to_other_communes_and_provinces(
    client: Client, ba_dinh_dossier: Dossier, alice: User, carol: User, erin: User
) -> None:
    url = f"/api/v1/dossiers/{ba_dinh_dossier.code}"
    assert client.get(url, headers=bearer(alice)).status_code == 200
    for officer in (carol, erin):
        response = client.get(url, headers=bearer(officer))
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
        acted = client.post(
            f"{url}/actions/assign",
            {"assignee": officer.username},
            content_type="application/json",
            headers=bearer(officer),
        )
        assert acted.status_code == 404
    listing = client.get("/api/v1/dossiers", headers=bearer(carol)).json()
    assert listing["count"] == 0


def test_the_api_needs_a_token(client: Client, ba_dinh_dossier: Dossier) -> None:
    response = client.get(f"/api/v1/dossiers/{ba_dinh_dossier.code}")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"
    bad = client.get("/api/v1/dossiers", headers={"Authorization": "Bearer hc_nope"})
    assert bad.status_code == 401


def test_pages_answer_404_to_other_communes(
    client: Client, ba_dinh_dossier: Dossier, alice: User, carol: User
) -> None:
    url = f"/staff/dossiers/{ba_dinh_dossier.code}/"
    client.force_login(alice)
    assert client.get(url).status_code == 200
    client.force_login(carol)
    assert client.get(url).status_code == 404
    assert client.get(f"/staff/dossiers/{ba_dinh_dossier.code}/receipt.pdf").status_code == 404
