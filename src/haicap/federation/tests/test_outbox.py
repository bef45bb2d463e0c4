"""The outbox: every change queued in its own transaction, delivered, refused into the dead
letters, retried from the page; the hub keeps the highest version (one deployment, both
roles, the hub answering on Django's live server)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.test.utils import override_settings
from django.utils import timezone
from procrastinate.contrib.django.models import ProcrastinateJob

from haicap.conftest import HANOI, QUANG_NINH, _officer, quang_ninh_commune
from haicap.conftest import PASSWORD as STAFF_PASSWORD
from haicap.core.actors import SYSTEM
from haicap.dossiers import actions as dossier_actions
from haicap.dossiers.models import Dossier
from haicap.federation.actions import do_register_province
from haicap.federation.client import HubClient
from haicap.federation.models import OutboxItem, OutboxState, SyncedDossier, SyncedProgress
from haicap.federation.outbox import drain
from haicap.units.models import ServiceCenter

PASSWORD = "hanoi-password-0001"
KEY = "hanoi-key-for-the-outbox-tests"


def test_every_change_writes_its_outbox_row_and_one_push(
    make_dossier: Callable[..., Dossier], alice: User
) -> None:
    dossier = _changed(make_dossier(), alice)
    rows = list(OutboxItem.objects.filter(dossier=dossier).order_by("seq"))
    assert [row.seq for row in rows] == list(range(1, dossier.version + 1))
    assert all(row.state == OutboxState.PENDING for row in rows)
    jobs = ProcrastinateJob.objects.filter(task_name="haicap.federation.push", status="todo")
    assert jobs.count() == 1


def test_a_rolled_back_change_queues_nothing(make_dossier: Callable[..., Dossier]) -> None:
    from django.db import transaction

    before = OutboxItem.objects.count()

    def fail() -> None:
        with transaction.atomic():
            make_dossier()
            raise RuntimeError

    with pytest.raises(RuntimeError):
        fail()
    assert OutboxItem.objects.count() == before


def _changed(dossier: Dossier, officer: User) -> Dossier:
    return dossier_actions.do_request_supplement(
        dossier, missing=["Bản sao Giấy khai sinh"], reason="Thiếu giấy tờ", actor=officer
    )


def _client(url: str) -> HubClient:
    return HubClient(url, dstcode="H01", username="hanoi", password=PASSWORD, key=KEY)


@pytest.mark.django_db(transaction=True)
@override_settings(FEDERATION_MAX_ATTEMPTS=1, FEDERATION_DSTCODE="H01")
def test_delivery_refusal_dead_letter_and_retry(
    live_server: Any, make_dossier: Callable[..., Dossier], dave: User, alice: User
) -> None:
    do_register_province(
        "01", dstcode="H01", username="hanoi", password=PASSWORD, key=KEY, actor=SYSTEM
    )
    client = _client(live_server.url)
    dossier = _changed(make_dossier(), alice)
    result = drain(client)
    assert result.sent == dossier.version
    synced = SyncedDossier.objects.get(code=dossier.code)
    assert (synced.version, synced.status) == (dossier.version, dossier.status)
    assert SyncedProgress.objects.filter(dossier=synced).count() == dossier.version

    # A stale push changes nothing; the same steps again add nothing.
    answer = client.call("DongBoHoSoMC", "H01", isUpdating=True, data=[_stale(synced)])
    assert answer["ignored"] == 1
    assert SyncedDossier.objects.get(code=dossier.code).status == dossier.status

    # A Quảng Ninh dossier under Hà Nội's credentials: refused, into the dead letters.
    centre = ServiceCenter.objects.get(unit=quang_ninh_commune())
    foreign = make_dossier(centre=centre.code)
    result = drain(client)
    assert result.dead == 1
    assert result.sent == 0
    dead = OutboxItem.objects.get(dossier=foreign)
    assert dead.state == OutboxState.DEAD
    assert "not a unit of H01" in dead.last_error

    # The dead letters page: the province's administrator sees and retries; a commune
    # officer and a visitor do not.
    officer = Client()
    officer.login(username=alice.username, password=STAFF_PASSWORD)
    assert officer.get("/staff/sync/").status_code == 404
    assert Client().get("/staff/sync/").status_code == 302
    # Quảng Ninh's administrator sees none of Hà Nội's link, and cannot resend through it.
    gina = _officer("gina", QUANG_NINH, "province_admin")
    other = Client()
    other.force_login(gina)
    assert other.get("/staff/sync/").status_code == 404
    assert other.post("/staff/sync/retry/", {"item": str(dead.pk)}).status_code == 404
    assert OutboxItem.objects.get(pk=dead.pk).state == OutboxState.DEAD
    # Hà Nội's auditor reads the page but neither retries nor re-sends: those change what
    # the hub receives.
    auditor = Client()
    auditor.force_login(_officer("hn_auditor", HANOI, "auditor"))
    shown = auditor.get("/staff/sync/")
    assert shown.status_code == 200
    assert foreign.code in shown.content.decode()
    assert 'action="/staff/sync/retry/"' not in shown.content.decode()
    assert auditor.post("/staff/sync/retry/", {"item": str(dead.pk)}).status_code == 404
    assert OutboxItem.objects.get(pk=dead.pk).state == OutboxState.DEAD
    admin = Client()
    admin.login(username=dave.username, password=STAFF_PASSWORD)
    page = admin.get("/staff/sync/")
    assert page.status_code == 200
    assert foreign.code in page.content.decode()
    assert admin.post("/staff/sync/retry/", {"item": str(dead.pk)}).status_code == 302
    assert OutboxItem.objects.get(pk=dead.pk).state == OutboxState.PENDING
    assert admin.post("/staff/sync/retry/", {"item": "x"}).status_code == 302


@pytest.mark.django_db(transaction=True)
@override_settings(FEDERATION_MAX_ATTEMPTS=1, FEDERATION_DSTCODE="H01")
def test_a_wrong_key_holds_the_changes_and_makes_no_dead_letter(
    live_server: Any, make_dossier: Callable[..., Dossier], alice: User
) -> None:
    """A refusal of the call (key, password, clock, session) is the link's fault: the changes
    wait with the reason shown and go once the key is right; none becomes a dead letter."""
    do_register_province(
        "01", dstcode="H01", username="hanoi", password=PASSWORD, key=KEY, actor=SYSTEM
    )
    dossier = _changed(make_dossier(), alice)
    wrong = HubClient(
        live_server.url, dstcode="H01", username="hanoi", password=PASSWORD, key="rotated-key"
    )
    result = drain(wrong)
    assert (result.sent, result.refused, result.dead) == (0, 0, 0)
    rows = OutboxItem.objects.filter(dossier=dossier)
    assert {row.state for row in rows} == {OutboxState.PENDING}
    assert all("signature" in row.last_error for row in rows)
    assert all(row.attempts == 0 for row in rows)  # the link's failures are not refusals
    admin = Client()
    admin.force_login(_officer("hn_admin", HANOI, "province_admin"))
    assert "Khóa ký không khớp" in admin.get("/staff/sync/").content.decode()
    # A hub address that answers a page, not the protocol: held too.
    drain(
        HubClient(
            f"{live_server.url}/nothing",
            dstcode="H01",
            username="hanoi",
            password=PASSWORD,
            key=KEY,
        )
    )
    assert {row.state for row in rows.all()} == {OutboxState.PENDING}
    bad_password = HubClient(
        live_server.url, dstcode="H01", username="hanoi", password="wrong-password", key=KEY
    )
    drain(bad_password)
    assert not OutboxItem.objects.filter(state=OutboxState.DEAD).exists()
    rows.update(next_attempt_at=timezone.now())
    assert drain(_client(live_server.url)).sent == dossier.version


def _stale(synced: SyncedDossier) -> dict[str, Any]:
    return {
        "MaHoSo": synced.code,
        "PhienBan": synced.version - 1,
        "MaDonVi": synced.madonvi,
        "MaTraCuu": "ABCDEFGH",
        "MaTTHC": synced.procedure_code,
        "TenTTHC": synced.procedure_name,
        "ChuHoSo": "X",
        "LoaiDoiTuong": 1,
        "NgayTiepNhan": "",
        "TrangThaiHoSo": 2,
        "HinhThuc": 1,
    }


def test_hub_pages_are_for_national_administrators(
    national_admin: User, dave: User, client: Client
) -> None:
    assert client.get("/national/monitor/").status_code == 302
    client.login(username=dave.username, password=STAFF_PASSWORD)
    assert client.get("/national/monitor/").status_code == 404
    assert client.get("/national/reconciliation/").status_code == 404
    client.login(username=national_admin.username, password=STAFF_PASSWORD)
    assert client.get("/national/monitor/").status_code == 200
    assert client.get("/national/reconciliation/").status_code == 200


def test_public_hub_pages(client: Client, db: Any) -> None:
    assert client.get("/national/procedures/").status_code == 200
    assert client.get("/national/lookup/").status_code == 200
    missing = client.get("/national/lookup/", {"code": "X-1", "secret": "ABCDEFGH"})
    assert missing.status_code == 404
    assert client.get("/national/procedures/NOPE/file/").status_code == 404
    assert (
        client.get("/national/procedures/HCP.HT.002/file/", {"province": "ZZ"}).status_code == 400
    )


def test_the_hand_off_page_lets_its_form_lead_to_the_province_portal(
    client: Client, db: Any
) -> None:
    """The form's answer redirects to the province's portal; a CSP of form-action 'self'
    alone made Chromium stop at the hub without a word."""
    do_register_province(
        "01",
        dstcode="H01",
        username="hanoi",
        password=PASSWORD,
        key=KEY,
        portal_url="https://dichvucong.hanoi.gov.vn",
        actor=SYSTEM,
    )
    page = client.get("/national/procedures/HCP.HT.002/file/")
    assert page.status_code == 200
    policy = page.headers["Content-Security-Policy"]
    assert "form-action 'self' https://dichvucong.hanoi.gov.vn" in policy
    assert (
        "dichvucong.hanoi.gov.vn"
        not in client.get("/national/lookup/").headers["Content-Security-Policy"]
    )
    sent = client.get("/national/procedures/HCP.HT.002/file/", {"province": "H01"})
    assert sent.status_code == 302
    assert sent.headers["Location"].startswith("https://dichvucong.hanoi.gov.vn/")
