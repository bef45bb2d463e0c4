"""Electronic results signed under the leader's certificate, and checked by anyone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from haicap.core.pki import init_ca, issue_signer
from haicap.core.signing import load_signer, sign_pdf
from haicap.core.verification import Outcome
from haicap.dossiers import actions, result_check
from haicap.dossiers.models import Dossier, PaperStage, ResultSignature
from haicap.dossiers.papers import Upload
from haicap.testing.files import pdf_bytes


@pytest.fixture(autouse=True)
def local_ca(settings: Any, tmp_path: Path) -> Path:
    settings.DATA_DIR = tmp_path
    settings.SIGNING_TRUST_ROOTS = None
    settings.SITE_URL = "https://dichvucong.example.vn"
    init_ca(organisation="Thành phố Hà Nội", directory=tmp_path / "ca")
    return tmp_path / "ca"


def _result(alice: User, bob: User, make_dossier: Any, **kwargs: Any) -> Dossier:
    dossier = actions.do_assign_dossier(make_dossier(alice), assignee=bob, actor=bob)
    dossier = actions.do_approve_dossier(dossier, actor=bob)
    return actions.do_mark_result_ready(dossier, actor=alice, note="Đã cấp giấy", **kwargs)


def _content(signature: ResultSignature) -> bytes:
    with signature.paper.file.open("rb") as handle:
        content: bytes = handle.read()
    return content


def test_the_result_is_signed_under_the_deciding_leader(
    alice: User, bob: User, make_dossier: Any
) -> None:
    bob.first_name, bob.last_name = "Trần Văn Bình", ""
    bob.save()
    upload = Upload("Giấy xác nhận", "giay.pdf", pdf_bytes(), "application/pdf", ".pdf")
    dossier = _result(alice, bob, make_dossier, uploads=[upload])
    results = dossier.papers.filter(stage=PaperStage.RESULT)
    assert results.count() == 2  # the result notice and the uploaded PDF, both signed
    for paper in results:
        signature = ResultSignature.objects.get(paper=paper)
        assert signature.signer_name == "Trần Văn Bình"  # the leader who approved, not alice
        check = result_check.check_file(_content(signature))
        assert check.verification.valid, check.verification.reason
        assert check.issued == signature
        assert check.verification.signatures[0].signer_name == "Trần Văn Bình"


def test_the_qr_code_points_to_the_site_and_opens_the_check(
    alice: User, bob: User, make_dossier: Any
) -> None:
    dossier = _result(alice, bob, make_dossier)
    signature = ResultSignature.objects.get(paper__dossier=dossier)
    content = _content(signature)
    assert b"%PDF" in content[:10]
    page = Client().get(f"/verify/{signature.token}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Chữ ký hợp lệ" in text
    assert dossier.code in text
    assert "Nguyễn Thị Bình" not in text  # the public sees a shortened name
    assert Client().get("/verify/not-a-token/").status_code == 404


def test_a_tampered_result_is_called_tampered(alice: User, bob: User, make_dossier: Any) -> None:
    dossier = _result(alice, bob, make_dossier)
    content = bytearray(_content(ResultSignature.objects.get(paper__dossier=dossier)))
    at = content.index(b"stream", content.index(b"/FlateDecode")) + 40
    content[at] ^= 0x01  # one byte of the page's content, which the signature covers
    check = result_check.check_file(bytes(content))
    assert not check.verification.valid
    assert check.verification.outcome is Outcome.TAMPERED
    assert check.issued is None
    page = Client().post("/verify/", {"file": _upload(bytes(content))})
    assert page.status_code == 200
    assert "Chữ ký không hợp lệ" in page.content.decode()


def test_bytes_added_after_signing_are_a_warning_not_a_green_light(
    alice: User, bob: User, make_dossier: Any
) -> None:
    dossier = _result(alice, bob, make_dossier)
    content = _content(ResultSignature.objects.get(paper__dossier=dossier)) + b"\n% added\n"
    page = Client().post("/verify/", {"file": _upload(content)})
    text = page.content.decode()
    assert 'class="verdict warn"' in text
    assert "không phải tệp haicap đã cấp" in text
    assert 'class="verdict ok"' not in text


def test_a_file_signed_by_an_unknown_certificate_is_untrusted(tmp_path: Path, db: Any) -> None:
    other, _made = init_ca(organisation="Không rõ", directory=tmp_path / "other")
    issued = issue_signer(other, name="Người lạ", passphrase="passphrase-of-tests")
    signer = load_signer(issued.certificate_pem, issued.key_pem, passphrase="passphrase-of-tests")
    signed = sign_pdf(pdf_bytes(), signer, reason="Giả mạo", location="Đâu đó")
    check = result_check.check_file(signed)
    assert check.verification.outcome == Outcome.UNTRUSTED
    page = Client().post("/verify/", {"file": _upload(signed)})
    assert "Chữ ký không hợp lệ" in page.content.decode()
    assert "Người lạ" in page.content.decode()


def test_the_check_page_refuses_what_is_not_a_pdf(db: Any) -> None:
    client = Client()
    assert client.get("/verify/").status_code == 200
    assert client.post("/verify/", {}).status_code == 400
    answer = client.post("/verify/", {"file": _upload(b"not a pdf at all")})
    assert answer.status_code == 400
    assert client.get("/en/verify/").status_code == 200


def _upload(content: bytes) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("ket-qua.pdf", content, content_type="application/pdf")
