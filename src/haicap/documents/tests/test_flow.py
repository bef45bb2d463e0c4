"""An outgoing document from draft to sending, and the incoming copy at the recipient."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from haicap.core.errors import Conflict, Forbidden, Invalid
from haicap.documents import actions
from haicap.documents.models import Agency, Delivery, Direction, Document, Status
from haicap.testing.files import pdf_bytes

pytestmark = pytest.mark.django_db


def draft(
    agency: Agency,
    actor: User,
    *,
    type_code: str = "QĐ",
    subject: str = "Quyết định về việc giao đất",
    recipients: list[actions.Recipient] | None = None,
) -> Document:
    spec = actions.Draft(type_code=type_code, subject=subject, recipients=recipients or [])
    return actions.do_create_draft(agency, spec, actor=actor)


def test_draft_to_issue_gives_the_first_number_of_the_year(
    alice: User, bob: User, ba_dinh: Agency
) -> None:
    document = draft(ba_dinh, alice)
    assert document.status == Status.DRAFT
    actions.do_submit(document, actor=alice)
    with pytest.raises(Conflict):
        actions.do_number(document, actor=bob)  # before approval: refused, nothing written
    document.refresh_from_db()
    assert document.number is None
    actions.do_approve(document, actor=bob)
    document = actions.do_issue(document, actor=bob)
    assert document.status == Status.ISSUED
    assert document.number == 1
    assert document.number_text == "01/QĐ-UBND"
    assert document.notation == "QĐ-UBND"


def test_a_specialist_cannot_approve(alice: User, ba_dinh: Agency) -> None:
    document = draft(ba_dinh, alice)
    with pytest.raises(Forbidden):
        actions.do_approve(document, actor=alice)


def test_unknown_type_and_nul_bytes_are_refused(alice: User, ba_dinh: Agency) -> None:
    with pytest.raises(Invalid):
        draft(ba_dinh, alice, type_code="XX")
    with pytest.raises(Invalid):
        draft(ba_dinh, alice, subject="bad\x00subject")
    assert not Document.objects.exists()


def test_sending_to_another_agency_gives_it_a_copy_and_the_sender_its_receipt(
    alice: User, bob: User, carol_clerk: User, ba_dinh: Agency, hoan_kiem: Agency
) -> None:
    document = draft(ba_dinh, alice, recipients=[actions.Recipient(hoan_kiem.code)])
    actions.do_approve(document, actor=bob)
    actions.do_issue(document, actor=bob)
    actions.do_send(document, actor=bob)
    copy = Document.objects.get(agency=hoan_kiem, direction=Direction.IN)
    assert copy.status == Status.ARRIVED
    assert copy.number_text == "01/QĐ-UBND"
    delivery = Delivery.objects.get(document=document)
    assert delivery.status_code == "01"
    copy, warnings = actions.do_receive(copy, actor=carol_clerk)
    assert copy.arrival_number == 1
    assert warnings == []
    delivery.refresh_from_db()
    assert delivery.status_code == "03"
    assert delivery.status_at is not None
    assert copy.arrived_at is not None
    assert delivery.status_at.date() == copy.arrived_at.date()
    actions.do_return(copy, actor=carol_clerk, reason="Gửi nhầm nơi nhận")
    delivery.refresh_from_db()
    assert delivery.status_code == "02"
    assert "Gửi nhầm" in delivery.status_text


def test_attachment_text_is_kept_for_search(alice: User, ba_dinh: Agency) -> None:
    import io

    from haicap.documents.files import check_upload

    upload = check_upload("qd.pdf", io.BytesIO(pdf_bytes("Phê duyệt kế hoạch phòng chống lụt bão")))
    document = actions.do_create_draft(
        ba_dinh, actions.Draft(type_code="KH", subject="Kế hoạch"), actor=alice, uploads=[upload]
    )
    assert "lut bao" in document.search_text
