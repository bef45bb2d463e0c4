"""Bulk assign and return from the queues (all or nothing, audited per dossier), the
confirmation before ending a dossier, and the action opened for the dossier's state."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from haicap.conftest import BIRTH, HANOI, HOAN_KIEM
from haicap.core.errors import Invalid
from haicap.core.models import AuditEvent
from haicap.dossiers import actions
from haicap.dossiers.models import Dossier, DossierEvent, Status


def test_bulk_assign_gives_each_dossier_its_event_and_audit_row(
    client: Client, alice: User, bob: User, make_dossier: Any
) -> None:
    first, second = make_dossier(alice), make_dossier(alice)
    client.force_login(alice)
    response = client.post(
        "/staff/bulk/",
        {"action": "assign", "assignee": "bob", "codes": [first.code, second.code]},
        follow=True,
    )
    assert "Đã thực hiện cho 2 hồ sơ" in response.content.decode()
    for dossier in (first, second):
        dossier.refresh_from_db()
        assert dossier.assignee == bob
        assert dossier.status == Status.PROCESSING
        assert DossierEvent.objects.filter(dossier=dossier, action="assign").count() == 1
        assert AuditEvent.objects.filter(subject_id=dossier.code, verb="dossier.assign").exists()


def test_a_dossier_the_officer_may_not_act_on_refuses_the_whole_batch(
    client: Client, alice: User, bob: User, carol: User, make_dossier: Any
) -> None:
    mine = make_dossier(alice)
    elsewhere = make_dossier(carol, centre=f"H{HANOI}.{HOAN_KIEM}")
    client.force_login(alice)
    response = client.post(
        "/staff/bulk/",
        {"action": "assign", "assignee": "bob", "codes": [mine.code, elsewhere.code]},
        follow=True,
    )
    assert elsewhere.code in response.content.decode()
    assert "Không hồ sơ nào được thay đổi" in response.content.decode()
    mine.refresh_from_db()
    assert mine.assignee is None
    assert mine.status == Status.ACCEPTED


def test_a_dossier_in_the_wrong_state_refuses_the_batch(
    alice: User, bob: User, make_dossier: Any
) -> None:
    ready = make_dossier(alice, procedure=BIRTH)
    ready = actions.do_assign_dossier(ready, assignee=bob, actor=bob)
    ready = actions.do_approve_dossier(ready, actor=bob)
    ready = actions.do_mark_result_ready(ready, actor=bob)
    not_ready = make_dossier(alice)
    with pytest.raises(Invalid) as refused:
        actions.do_bulk_dossier_action([ready.code, not_ready.code], "return_result", actor=bob)
    assert not_ready.code in refused.value.message
    ready.refresh_from_db()
    assert ready.status == Status.PROCESSED
    done = actions.do_bulk_dossier_action([ready.code], "return_result", actor=bob)
    assert [d.status for d in done] == [Status.RETURNED]
    assert AuditEvent.objects.filter(subject_id=ready.code, verb="dossier.return_result").exists()


def test_a_batch_of_unknown_codes_or_no_codes_changes_nothing(
    client: Client, alice: User, make_dossier: Any
) -> None:
    client.force_login(alice)
    for data in ({"action": "assign", "assignee": "bob"}, {"action": "delete", "codes": ["x"]}):
        response = client.post("/staff/bulk/", data, follow=True)
        assert response.status_code == 200
        assert response.context["messages"]
    response = client.post(
        "/staff/bulk/", {"action": "return_result", "codes": ["NO-SUCH"]}, follow=True
    )
    assert "NO-SUCH" in response.content.decode()


def test_stop_asks_for_confirmation_first(
    client: Client, alice: User, bob: User, make_dossier: Any
) -> None:
    dossier = make_dossier(alice)
    dossier = actions.do_assign_dossier(dossier, assignee=bob, actor=bob)
    client.force_login(bob)
    url = f"/staff/dossiers/{dossier.code}/act/stop/"
    asked = client.post(url, {"version": dossier.version, "reason": "Giả mạo giấy tờ"})
    assert asked.status_code == 200
    html = asked.content.decode()
    assert 'name="confirmed" value="yes"' in html
    assert "Giả mạo giấy tờ" in html
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING
    client.post(url, {"version": dossier.version, "reason": "Giả mạo giấy tờ", "confirmed": "yes"})
    dossier.refresh_from_db()
    assert dossier.status == Status.STOPPED


def test_refusal_without_a_reason_is_refused_before_the_confirmation(
    client: Client, alice: User, make_dossier: Any
) -> None:
    dossier = make_dossier(alice)
    client.force_login(alice)
    response = client.post(
        f"/staff/dossiers/{dossier.code}/act/refuse_intake/",
        {"version": dossier.version, "reason": " "},
        follow=True,
    )
    assert "Hãy nêu lý do" in response.content.decode()
    assert Dossier.objects.get(pk=dossier.pk).status == Status.ACCEPTED


def test_the_action_the_state_calls_for_is_opened(
    client: Client, alice: User, bob: User, make_dossier: Any
) -> None:
    dossier = make_dossier(alice)
    client.force_login(alice)
    assert client.get(f"/staff/dossiers/{dossier.code}/").context["expected"] == "assign"
    dossier = actions.do_assign_dossier(dossier, assignee=bob, actor=bob)
    dossier = actions.do_approve_dossier(dossier, actor=bob)
    client.force_login(bob)
    assert client.get(f"/staff/dossiers/{dossier.code}/").context["expected"] == (
        "mark_result_ready"
    )
    dossier = actions.do_mark_result_ready(dossier, actor=bob)
    assert client.get(f"/staff/dossiers/{dossier.code}/").context["expected"] == "return_result"


def test_assignee_lists_show_full_names_and_no_auditor(
    client: Client, alice: User, bob: User, frank: User, make_dossier: Any
) -> None:
    bob.first_name, bob.last_name = "Trần Văn", "Bình"
    bob.save()
    dossier = make_dossier(alice)
    client.force_login(alice)
    page = client.get(f"/staff/dossiers/{dossier.code}/")
    names = [officer.username for officer in page.context["assignees"]]
    assert "frank" not in names
    assert "Trần Văn Bình" in page.content.decode()
    queue = client.get("/staff/?queue=unit")
    assert ("bob", "Trần Văn Bình") in queue.context["assignees"]
    assert all(username != "frank" for username, _name in queue.context["assignees"])
