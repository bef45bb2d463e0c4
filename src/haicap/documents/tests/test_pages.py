"""The document pages: reachable from the menu for document officers, forms that show their
errors, 404 for another agency's officer and for citizens."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from haicap.documents import actions
from haicap.documents.models import Agency

pytestmark = pytest.mark.django_db
PAGES = [
    "",
    "out/",
    "search/?q=quyet",
    "new/",
    "register/",
    "exchange/",
    "certificate/",
    "registers/",
]


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_every_page_answers_for_bob_and_the_menu_links_them(bob: User, ba_dinh: Agency) -> None:
    client = signed_in(bob)
    home = client.get("/").content.decode()
    assert "/staff/documents/" in home
    for page in PAGES:
        assert client.get(f"/staff/documents/{page}").status_code == 200, page


def test_a_document_page_its_timeline_and_routing_dialog(bob: User, ba_dinh: Agency) -> None:
    document, _w = actions.do_register_incoming(
        ba_dinh,
        actions.Received(
            type_code="CV",
            subject="Về việc kiểm tra",
            sender_name="Sở Xây dựng",
            number=4,
            notation="SXD-QLN",
            issued_on=None,
        ),
        actor=bob,
    )
    client = signed_in(bob)
    page = client.get(f"/staff/documents/{document.pk}/").content.decode()
    assert "Giao xử lý" in page
    assert "Về việc kiểm tra" in page
    answer = client.post(
        f"/staff/documents/{document.pk}/act/route/",
        {"version": document.version, "lead": "bob", "days": "3"},
    )
    assert answer.status_code == 302
    document.refresh_from_db()
    assert document.status == "routed"
    assert client.get("/staff/documents/registers/" + f"{ba_dinh.code}/2026/in/").status_code in (
        200,
        404,
    )


def test_forms_show_their_errors(bob: User, ba_dinh: Agency) -> None:
    client = signed_in(bob)
    page = client.post(
        "/staff/documents/new/", {"agency": ba_dinh.code, "subject": ""}
    ).content.decode()
    assert 'class="errorlist"' in page
    page = client.post("/staff/documents/exchange/", {}).content.decode()
    assert 'class="errorlist"' in page or 'role="alert"' in page


def test_other_agencies_and_citizens_get_404(
    alice: User, carol_clerk: User, ba_dinh: Agency
) -> None:
    document = actions.do_create_draft(
        ba_dinh, actions.Draft(type_code="TB", subject="Thông báo nội bộ"), actor=alice
    )
    assert signed_in(carol_clerk).get(f"/staff/documents/{document.pk}/").status_code == 404
    citizen = User.objects.create_user("citizen", password="pw-citizen-12345")
    assert signed_in(citizen).get("/staff/documents/").status_code == 404
    assert Client().get("/staff/documents/").status_code == 302
