"""The audit trail keeps who tried what from where: denied attempts, the client's address
on every read (API reads included), and which dossiers a list showed."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client

from haicap.conftest import PASSWORD
from haicap.core.models import AuditEvent
from haicap.dossiers.models import Dossier
from haicap.dossiers.tests.test_api import BODY, bearer, post

pytestmark = pytest.mark.django_db

ADDRESS = "203.0.113.7"


def test_a_cross_province_read_is_denied_and_recorded_with_the_address(
    make_dossier: Callable[..., Dossier], erin: User, alice: User
) -> None:
    dossier = make_dossier()
    client = Client(REMOTE_ADDR=ADDRESS)
    # erin works in Quảng Ninh; the dossier is Hà Nội's.
    assert client.get(f"/api/v1/dossiers/{dossier.code}", headers=bearer(erin)).status_code == 404
    denied = AuditEvent.objects.get(verb="dossier.denied")
    assert (denied.actor_id, denied.subject_id, denied.ip) == (erin.pk, dossier.code, ADDRESS)
    assert denied.after == {"exists": True, "write": False}
    # A made-up code is recorded too, as not existing.
    client.get("/api/v1/dossiers/01.00004-000000-0000", headers=bearer(erin))
    assert AuditEvent.objects.filter(verb="dossier.denied", after__exists=False).count() == 1
    # On the staff pages as well.
    pages = Client(REMOTE_ADDR=ADDRESS)
    pages.login(username="erin", password=PASSWORD)
    assert pages.get(f"/staff/dossiers/{dossier.code}/").status_code == 404
    assert AuditEvent.objects.filter(verb="dossier.denied", actor_id=erin.pk).count() == 3
    # alice, who may, reads it: the read carries the address through the API too.
    assert client.get(f"/api/v1/dossiers/{dossier.code}", headers=bearer(alice)).status_code == 200
    read = AuditEvent.objects.filter(verb="dossier.read").latest("id")
    assert (read.actor_id, read.ip) == (alice.pk, ADDRESS)


def test_a_refused_action_in_the_api_is_recorded(frank: User) -> None:
    client = Client(REMOTE_ADDR=ADDRESS)
    # frank is an auditor: he reads, never receives a dossier.
    response = post(client, "/api/v1/dossiers", BODY, bearer(frank))
    assert response.status_code == 403
    denied = AuditEvent.objects.get(verb="api.denied")
    assert (denied.actor_id, denied.subject_id, denied.ip) == (
        frank.pk,
        "/api/v1/dossiers",
        ADDRESS,
    )
    assert not Dossier.objects.exists()


def test_lists_record_which_dossiers_they_showed(
    make_dossier: Callable[..., Dossier], alice: User
) -> None:
    shown = {make_dossier().code, make_dossier().code}
    client = Client(REMOTE_ADDR=ADDRESS)
    assert client.get("/api/v1/dossiers", headers=bearer(alice)).status_code == 200
    listed = AuditEvent.objects.filter(verb="dossier.search").latest("id")
    assert listed.after is not None
    assert set(listed.after["shown"]) == shown
    assert listed.ip == ADDRESS
    pages = Client(REMOTE_ADDR=ADDRESS)
    pages.login(username="alice", password=PASSWORD)
    assert pages.get("/staff/?queue=unit").status_code == 200
    page = AuditEvent.objects.filter(verb="dossier.list").latest("id")
    assert page.after is not None
    assert set(page.after["shown"]) <= shown
    assert page.ip == ADDRESS
