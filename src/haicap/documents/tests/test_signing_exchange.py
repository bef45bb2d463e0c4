"""A signed document verifies and a tampered one fails; an edXML package is written out and
read back; a package with a bad signature or missing fields is refused and writes nothing."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from lxml import etree

from haicap.core.errors import Invalid, NotFound
from haicap.core.pki import init_ca
from haicap.documents import actions, edxml, exchange, signing
from haicap.documents.files import check_upload
from haicap.documents.models import Agency, Direction, Document, ExchangeMessage, Source, Status
from haicap.testing.files import pdf_bytes, png_bytes

pytestmark = pytest.mark.django_db
PASSPHRASE = "mot-cum-tu-rat-dai-2026"


def issued_with_pdf(agency: Agency, bob: User, recipients: list[actions.Recipient]) -> Document:
    upload = check_upload("qd.pdf", io.BytesIO(pdf_bytes("Quyết định giao đất")))
    document = actions.do_create_draft(
        agency,
        actions.Draft(type_code="QĐ", subject="Giao đất ở", recipients=recipients),
        actor=bob,
        uploads=[upload],
    )
    actions.do_approve(document, actor=bob, signer_title="Chủ tịch")
    return actions.do_number(document, actor=bob)


def test_the_signers_signature_verifies_and_tampering_shows(
    bob: User, ba_dinh: Agency, local_ca: Path
) -> None:
    signing.do_issue_certificate(bob, passphrase=PASSPHRASE, title="Chủ tịch", actor=bob)
    document = issued_with_pdf(ba_dinh, bob, [])
    signed = signing.do_sign_document(document, actor=bob, passphrase=PASSPHRASE)
    assert signed.signed
    assert signed.version == 2
    result = signing.verify(signed)
    assert result.valid
    assert result.signatures[0].signer_name == "bob"
    with signed.file.open("rb") as handle:
        data = bytearray(handle.read())
    at = data.index(b"Quy") if b"Quy" in data else len(data) // 3
    data[at] ^= 0x01
    from haicap.core.pki import trust_roots
    from haicap.core.verification import verify_pdf

    assert not verify_pdf(bytes(data), trust_roots=trust_roots()).valid


def test_a_wrong_passphrase_signs_nothing(bob: User, ba_dinh: Agency, local_ca: Path) -> None:
    signing.do_issue_certificate(bob, passphrase=PASSPHRASE, actor=bob)
    document = issued_with_pdf(ba_dinh, bob, [])
    with pytest.raises(Invalid):
        signing.do_sign_document(document, actor=bob, passphrase="not-the-right-one")
    assert document.attachments.count() == 1


def sent_package(bob: User, ba_dinh: Agency) -> bytes:
    document = issued_with_pdf(ba_dinh, bob, [actions.Recipient("H99.OUTSIDE", "Bộ Nội vụ")])
    actions.do_issue(document, actor=bob)
    actions.do_send(document, actor=bob)
    message = ExchangeMessage.objects.get(document=document, outgoing=True, kind="package")
    return bytes(message.xml)


def test_a_package_is_written_out_and_read_back(bob: User, ba_dinh: Agency, local_ca: Path) -> None:
    data = sent_package(bob, ba_dinh)
    from haicap.core.pki import trust_roots

    package = edxml.read_package(data, roots=trust_roots(), max_bytes=10**7)
    assert package.sender.code == ba_dinh.code
    assert package.recipients[0].code == "H99.OUTSIDE"
    assert (package.number, package.notation) == ("01", "QĐ-UBND")
    assert package.subject == "Giao đất ở"
    assert package.files[0].content.startswith(b"%PDF-")
    assert package.signer_position == "Chủ tịch"


def _resign_to(data: bytes, code: str, ba_dinh: Agency) -> bytes:
    """The same package addressed to ``code``, signed again by the sending agency."""
    from haicap.core.pki import trust_roots

    package = edxml.read_package(data, roots=trust_roots(), max_bytes=10**7)
    package.recipients = [edxml.Organ(code, "")]
    package.document_id = package.document_id + "-again"
    return edxml.write_package(package, exchange.agency_key(ba_dinh))


def test_the_inbox_takes_a_package_for_an_agency_here(
    bob: User, carol_clerk: User, ba_dinh: Agency, hoan_kiem: Agency, local_ca: Path
) -> None:
    data = _resign_to(sent_package(bob, ba_dinh), hoan_kiem.code, ba_dinh)
    answer = exchange.accept(data)
    assert answer.status_code == "01"
    copy = Document.objects.get(agency=hoan_kiem, direction=Direction.IN)
    assert (copy.source, copy.status) == (Source.PACKAGE, Status.ARRIVED)
    assert copy.attachments.get().content_type == "application/pdf"
    # The receipt goes back as a signed status message, which the sender's side reads.
    receipt = ExchangeMessage.objects.get(document=copy, outgoing=True, kind="status")
    from haicap.core.pki import trust_roots

    status = edxml.read_status(bytes(receipt.xml), roots=trust_roots())
    assert (status.status_code, status.sender.code) == ("01", hoan_kiem.code)
    assert exchange.accept(data).documents[0]["new"] is False  # idempotent


def test_a_tampered_package_is_refused(
    bob: User, ba_dinh: Agency, hoan_kiem: Agency, local_ca: Path
) -> None:
    data = _resign_to(sent_package(bob, ba_dinh), hoan_kiem.code, ba_dinh)
    tampered = data.replace("Giao đất ở".encode(), "Giao đất rừng".encode())
    before = Document.objects.count()
    with pytest.raises(Invalid) as caught:
        exchange.accept(tampered)
    assert caught.value.code == "bad_signature"
    assert Document.objects.count() == before


def test_a_package_from_another_ca_is_refused(
    bob: User, ba_dinh: Agency, hoan_kiem: Agency, local_ca: Path, tmp_path: Path
) -> None:
    data = _resign_to(sent_package(bob, ba_dinh), hoan_kiem.code, ba_dinh)
    init_ca(organisation="Nơi khác", force=True, directory=local_ca)  # trust changes
    with pytest.raises(Invalid) as caught:
        exchange.accept(data)
    assert caught.value.code == "bad_signature"


def test_missing_fields_are_named(
    bob: User, ba_dinh: Agency, hoan_kiem: Agency, local_ca: Path
) -> None:
    root = etree.Element(f"{{{edxml.NS}}}edXMLEnvelope", nsmap=edxml.NSMAP)
    header = etree.SubElement(root, f"{{{edxml.NS}}}edXMLHeader")
    message = etree.SubElement(header, f"{{{edxml.NS}}}MessageHeader")
    etree.SubElement(message, f"{{{edxml.NS}}}Subject").text = "Thiếu trường"
    data = edxml._sign(root, header, exchange.agency_key(ba_dinh))
    with pytest.raises(Invalid) as caught:
        exchange.accept(data)
    assert caught.value.code == "missing_fields"
    assert "CodeNumber" in caught.value.message


def test_xml_with_entities_or_garbage_is_refused(local_ca: Path, ba_dinh: Agency) -> None:
    bomb = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'
    with pytest.raises(Invalid):
        exchange.accept(bomb)
    with pytest.raises(Invalid):
        exchange.accept(b"\x00\x01 not xml")
    with pytest.raises(Invalid):
        exchange.accept(b"")


def test_an_attachment_that_is_not_what_it_claims_is_refused(
    bob: User, ba_dinh: Agency, hoan_kiem: Agency, local_ca: Path
) -> None:
    from haicap.core.pki import trust_roots

    package = edxml.read_package(sent_package(bob, ba_dinh), roots=trust_roots(), max_bytes=10**7)
    package.recipients = [edxml.Organ(hoan_kiem.code, "")]
    package.files = [edxml.File("scan.pdf", "application/pdf", png_bytes())]
    data = edxml.write_package(package, exchange.agency_key(ba_dinh))
    with pytest.raises(Invalid):
        exchange.accept(data)
    assert not Document.objects.filter(agency=hoan_kiem).exists()


def test_a_package_for_nobody_here_is_not_found(bob: User, ba_dinh: Agency, local_ca: Path) -> None:
    data = _resign_to(sent_package(bob, ba_dinh), "H77.NOWHERE", ba_dinh)
    with pytest.raises(NotFound):
        exchange.accept(data)
