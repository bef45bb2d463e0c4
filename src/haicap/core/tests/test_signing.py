"""Signed PDFs: a local CA, signer certificates, PAdES signatures and their verification.

Every PDF is a real one rendered by WeasyPrint; every signature is made and checked by pyHanko
against a real CA, and one is checked again by OpenSSL as an independent verifier.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import stat
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.utils import translation
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pypdf import PdfReader, PdfWriter
from weasyprint import HTML

from haicap.core.errors import Invalid, NotFound
from haicap.core.pki import LocalCA, init_ca, issue_signer, load_ca, trust_roots
from haicap.core.signing import Signer, Stamp, load_signer, sign_pdf
from haicap.core.stamp import render_stamp
from haicap.core.verification import LaterChanges, Outcome, verify_pdf

NAME = "Nguyễn Thị Hồng Nhung"
TITLE = "Chủ tịch UBND"
ORG = "UBND Phường Ba Đình"
PASSPHRASE = "mật khẩu ký số"

PAGE = """<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Ket qua 0042</title>
<style>body { font-family: "DejaVu Serif", serif; }</style></head><body>
<p>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM — Độc lập - Tự do - Hạnh phúc</p>
<h1>Giấy chứng nhận kết quả giải quyết thủ tục hành chính</h1>
<p>Hồ sơ số H01.0042; người nộp: ông Trần Văn Đức, phường Ba Đình, thành phố Hà Nội.</p>
</body></html>"""


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Reasons are compared in English; one test reads them in Vietnamese."""
    with translation.override("en"):
        yield


@dataclass(frozen=True)
class Officer:
    signer: Signer
    fingerprint: str


@pytest.fixture(scope="module")
def ca(tmp_path_factory: pytest.TempPathFactory) -> LocalCA:
    return init_ca(organisation="Thành phố Hà Nội", directory=tmp_path_factory.mktemp("ca"))[0]


@pytest.fixture(scope="module")
def other_ca(tmp_path_factory: pytest.TempPathFactory) -> LocalCA:
    return init_ca(organisation="Somewhere else", directory=tmp_path_factory.mktemp("other"))[0]


def officer_of(ca: LocalCA, name: str = NAME) -> Officer:
    issued = issue_signer(
        ca,
        name=name,
        title=TITLE,
        organisation=ORG,
        email="nhung@hanoi.gov.vn",
        passphrase=PASSPHRASE,
    )
    signer = load_signer(
        issued.certificate_pem, issued.key_pem, passphrase=PASSPHRASE, chain_pem=issued.chain_pem
    )
    return Officer(signer, issued.fingerprint)


@pytest.fixture(scope="module")
def officer(ca: LocalCA) -> Officer:
    return officer_of(ca)


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return bytes(HTML(string=PAGE).write_pdf())


@pytest.fixture(scope="module")
def signed(pdf: bytes, officer: Officer) -> bytes:
    return sign_pdf(pdf, officer.signer, reason="Ký kết quả giải quyết", location="Hà Nội")


def flip(data: bytes, at: int) -> bytes:
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :]


def test_signature_verifies_and_names_the_signer(
    pdf: bytes, signed: bytes, officer: Officer, ca: LocalCA
) -> None:
    assert signed.startswith(pdf)  # an incremental update: the original bytes are untouched
    assert b"/ETSI.CAdES.detached" in signed  # PAdES, not the legacy adbe.pkcs7.detached

    result = verify_pdf(signed, trust_roots=[ca.certificate])

    assert result.valid
    assert result.outcome is Outcome.VALID
    assert result.reason == ""
    [check] = result.signatures
    assert check.signer_name == NAME
    assert check.signer_title == TITLE
    assert check.signer_organisation == ORG
    assert check.issuer == "haicap Local CA"
    assert check.certificate_fingerprint == officer.fingerprint
    assert check.intact
    assert check.trusted
    assert not check.modified_after_signing
    assert check.later_changes is LaterChanges.NONE
    assert check.signed_at is not None
    assert abs(check.signed_at - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=5)


def test_openssl_verifies_the_signature_too(signed: bytes, ca: LocalCA, tmp_path: Path) -> None:
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl is not installed")
    match = re.search(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", signed)
    assert match
    start, first, second, length = (int(group) for group in match.groups())
    content = signed[start : start + first] + signed[second : second + length]
    hex_signature = signed[start + first + 1 : second - 1]  # between < and >
    (tmp_path / "content").write_bytes(content)
    (tmp_path / "sig.der").write_bytes(bytes.fromhex(hex_signature.decode()).rstrip(b"\0"))
    (tmp_path / "ca.pem").write_bytes(ca.certificate_pem)
    command = [openssl, "cms", "-verify", "-binary", "-inform", "DER", "-purpose", "any"]
    files = ["-in", "sig.der", "-content", "content", "-CAfile", "ca.pem", "-out", "/dev/null"]
    good = subprocess.run([*command, *files], cwd=tmp_path, capture_output=True, check=False)
    assert good.returncode == 0, good.stderr
    (tmp_path / "content").write_bytes(flip(content, len(content) // 2))
    bad = subprocess.run([*command, *files], cwd=tmp_path, capture_output=True, check=False)
    assert bad.returncode != 0


def test_a_changed_byte_in_the_signed_content_is_tampering(signed: bytes, ca: LocalCA) -> None:
    in_title = signed.index(b"Ket qua 0042") + len(b"Ket qua 00")
    in_page_stream = signed.index(b"stream", signed.index(b"/FlateDecode")) + 40
    for at in (in_title, in_page_stream):
        result = verify_pdf(flip(signed, at), trust_roots=[ca.certificate])
        assert not result.valid
        assert result.outcome is Outcome.TAMPERED
        assert not result.signatures[0].intact
        assert "changed" in result.reason


def test_content_appended_after_signing_is_reported_as_modified(signed: bytes, ca: LocalCA) -> None:
    # pyHanko's writer methods are unannotated; Any keeps mypy from refusing the calls.
    writer: Any = IncrementalPdfFileWriter(io.BytesIO(signed))
    forged = generic.StreamObject(stream_data=b"q 1 1 1 rg 60 600 300 80 re f Q")  # a white-out
    writer.add_stream_to_page(0, writer.add_object(forged))
    out = io.BytesIO()
    writer.write(out)

    result = verify_pdf(out.getvalue(), trust_roots=[ca.certificate])

    assert not result.valid
    assert result.outcome is Outcome.MODIFIED
    [check] = result.signatures
    assert check.intact  # the signed revision itself is untouched ...
    assert check.modified_after_signing  # ... but a later revision changed the page
    assert check.later_changes is LaterChanges.OTHER
    assert result.reason == "The document was changed after it was signed."


def test_a_second_signature_keeps_the_first_valid(
    signed: bytes, ca: LocalCA, officer: Officer
) -> None:
    clerk = officer_of(ca, "Lê Văn Bình")
    twice = sign_pdf(
        signed, clerk.signer, reason="Ký số cơ quan", location="Hà Nội", field_name="Signature2"
    )

    result = verify_pdf(twice, trust_roots=[ca.certificate])

    assert result.valid
    first, second = result.signatures
    assert (first.signer_name, second.signer_name) == (NAME, "Lê Văn Bình")
    assert first.modified_after_signing
    assert first.later_changes is LaterChanges.FORM_FILLING
    assert first.valid
    assert not second.modified_after_signing
    with pytest.raises(Invalid):
        sign_pdf(twice, clerk.signer, reason="again", location="Hà Nội", field_name="Signature2")


def test_a_signature_from_another_ca_is_not_trusted(
    pdf: bytes, ca: LocalCA, other_ca: LocalCA
) -> None:
    stranger = officer_of(other_ca, "Kẻ Mạo Danh")
    forged = sign_pdf(pdf, stranger.signer, reason="Giả mạo", location="Hà Nội")

    result = verify_pdf(forged, trust_roots=[ca.certificate])

    assert not result.valid
    assert result.outcome is Outcome.UNTRUSTED
    [check] = result.signatures
    assert check.intact
    assert not check.trusted
    assert check.signer_name == "Kẻ Mạo Danh"
    assert result.reason == (
        "The signer's certificate was not issued by a trusted certificate authority."
    )
    # Trusting the other CA as well makes the same file valid: the roots decide.
    assert verify_pdf(forged, trust_roots=[ca.certificate, other_ca.certificate]).valid
    assert verify_pdf(forged, trust_roots=[]).outcome is Outcome.UNTRUSTED


def test_an_expired_certificate_is_not_trusted(signed: bytes, ca: LocalCA) -> None:
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(days=800)):
        result = verify_pdf(signed, trust_roots=[ca.certificate])
    assert result.outcome is Outcome.UNTRUSTED
    assert result.reason == "The signer's certificate was expired or not yet valid."


def test_an_unsigned_pdf_says_so(pdf: bytes, ca: LocalCA) -> None:
    result = verify_pdf(pdf, trust_roots=[ca.certificate])
    assert not result.valid
    assert result.outcome is Outcome.UNSIGNED
    assert result.signatures == ()
    with translation.override("vi"):
        assert verify_pdf(pdf, trust_roots=[]).reason == "Tệp này không có chữ ký số."


@pytest.mark.parametrize(
    "data",
    [b"", b"hello, world", b"\x89PNG\r\n\x1a\n" + b"\0" * 100, b"%PDF-1.7\nnot really a pdf"],
)
def test_not_a_pdf_is_invalid(data: bytes, officer: Officer, ca: LocalCA) -> None:
    with pytest.raises(Invalid):
        verify_pdf(data, trust_roots=[ca.certificate])
    with pytest.raises(Invalid):
        sign_pdf(data, officer.signer, reason="x", location="y")


def test_encrypted_pdfs_are_refused_or_opened(pdf: bytes, officer: Officer, ca: LocalCA) -> None:
    def encrypted(user_password: str) -> bytes:
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
        writer.encrypt(user_password, "owner password")
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()

    with pytest.raises(Invalid, match="Password-protected"):
        verify_pdf(encrypted("user password"), trust_roots=[ca.certificate])
    # Restricted by an owner password only: it opens, and it is simply unsigned.
    assert verify_pdf(encrypted(""), trust_roots=[ca.certificate]).outcome is Outcome.UNSIGNED
    with pytest.raises(Invalid, match="Encrypted"):
        sign_pdf(encrypted(""), officer.signer, reason="x", location="y")


@pytest.mark.parametrize(
    ("field_name", "reason"),
    [("a.b", "Ký"), ("", "Ký"), ("x" * 65, "Ký"), ("Signature1", "Ký" * 101)],
)
def test_sign_refuses_odd_field_names_and_long_texts(
    pdf: bytes, officer: Officer, field_name: str, reason: str
) -> None:
    with pytest.raises(Invalid):
        sign_pdf(pdf, officer.signer, reason=reason, location="Hà Nội", field_name=field_name)


def test_each_failure_has_its_own_outcome_and_reason(
    pdf: bytes, signed: bytes, ca: LocalCA, other_ca: LocalCA
) -> None:
    stranger = officer_of(other_ca, "Kẻ Mạo Danh")
    results = [
        verify_pdf(pdf, trust_roots=[ca.certificate]),
        verify_pdf(flip(signed, signed.index(b"Ket qua")), trust_roots=[ca.certificate]),
        verify_pdf(
            sign_pdf(pdf, stranger.signer, reason="x", location="y"), trust_roots=[ca.certificate]
        ),
    ]
    assert [result.outcome for result in results] == [
        Outcome.UNSIGNED,
        Outcome.TAMPERED,
        Outcome.UNTRUSTED,
    ]
    assert len({result.reason for result in results}) == 3


def test_a_visible_stamp_shows_name_title_and_time(
    pdf: bytes, officer: Officer, ca: LocalCA
) -> None:
    stamp = Stamp(page=-1, box=(330, 60, 565, 125))
    out = sign_pdf(pdf, officer.signer, reason="Ký", location="Hà Nội", stamp=stamp)

    assert verify_pdf(out, trust_roots=[ca.certificate]).valid
    annotations = PdfReader(io.BytesIO(out)).pages[-1].annotations
    assert annotations is not None
    [widget] = [annotation.get_object() for annotation in annotations]
    assert [float(value) for value in widget["/Rect"]] == [330, 60, 565, 125]
    assert "/AP" in widget
    picture = render_stamp(
        stamp,
        name=NAME,
        title=TITLE,
        organisation=ORG,
        signed_at=dt.datetime(2026, 7, 1, 2, 30, tzinfo=dt.UTC),
    )
    text = PdfReader(io.BytesIO(picture)).pages[0].extract_text()
    assert NAME in text
    assert TITLE in text
    assert "01/07/2026 09:30" in text
    with pytest.raises(Invalid):
        Stamp(box=(0, 0, 10, 10))


def test_signer_keys_need_their_passphrase_and_their_certificate(ca: LocalCA) -> None:
    issued = issue_signer(ca, name=NAME, passphrase=PASSPHRASE)
    other = issue_signer(ca, name="Người khác", passphrase=PASSPHRASE)
    assert b"ENCRYPTED PRIVATE KEY" in issued.key_pem
    with pytest.raises(Invalid, match="passphrase"):
        load_signer(issued.certificate_pem, issued.key_pem, passphrase="wrong passphrase")
    with pytest.raises(Invalid, match="passphrase"):
        load_signer(issued.certificate_pem, issued.key_pem, passphrase=None)
    with pytest.raises(Invalid, match="does not belong"):
        load_signer(other.certificate_pem, issued.key_pem, passphrase=PASSPHRASE)
    with pytest.raises(Invalid):
        load_signer(b"not a certificate", issued.key_pem, passphrase=PASSPHRASE)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": "  "}, "name"),
        ({"name": "A" * 65}, "name"),
        ({"title": "T" * 65}, "title"),
        ({"organisation": "O" * 65}, "organisation"),
        ({"email": "not-an-address"}, "email"),
        ({"passphrase": "short"}, "passphrase"),
        ({"valid_days": "0"}, "valid_days"),
    ],
)
def test_issue_refuses_bad_input(ca: LocalCA, changes: dict[str, str], field: str) -> None:
    given = {
        "name": NAME,
        "title": "",
        "organisation": "",
        "email": "",
        "passphrase": PASSPHRASE,
        "valid_days": "30",
        **changes,
    }
    with pytest.raises(Invalid) as caught:
        issue_signer(
            ca,
            name=given["name"],
            title=given["title"],
            organisation=given["organisation"],
            email=given["email"],
            passphrase=given["passphrase"],
            valid_days=int(given["valid_days"]),
        )
    assert caught.value.field == field


def test_the_ca_key_is_private_and_init_keeps_an_existing_ca(tmp_path: Path) -> None:
    directory = tmp_path / "ca"
    ca, made = init_ca(directory=directory)
    assert made
    assert ca.subject == "CN=haicap Local CA, O=haicap, C=VN"
    assert stat.S_IMODE((directory / "ca-key.pem").stat().st_mode) == 0o600
    assert stat.S_IMODE(directory.stat().st_mode) == 0o700

    again, made_again = init_ca(directory=directory, organisation="ignored when kept")
    assert not made_again
    assert again.fingerprint == ca.fingerprint

    forced, made_forced = init_ca(directory=directory, force=True)
    assert made_forced
    assert forced.fingerprint != ca.fingerprint
    assert load_ca(directory).fingerprint == forced.fingerprint


def test_a_half_written_ca_is_refused_until_forced(tmp_path: Path) -> None:
    with pytest.raises(NotFound):
        load_ca(tmp_path / "none")
    init_ca(directory=tmp_path)
    (tmp_path / "ca-cert.pem").unlink()
    with pytest.raises(Invalid):
        init_ca(directory=tmp_path)
    assert init_ca(directory=tmp_path, force=True)[1]


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_the_ca_command_makes_the_ca_once_and_issues_signers(
    settings: Any, tmp_path: Path, pdf: bytes
) -> None:
    settings.DATA_DIR = tmp_path
    settings.SIGNING_TRUST_ROOTS = None

    first = run("ca", "init", "--org", "Thành phố Hà Nội")
    fingerprint = load_ca().fingerprint
    assert "made the local CA" in first
    assert fingerprint in first
    second = run("ca", "init")
    assert "exists; kept" in second
    assert load_ca().fingerprint == fingerprint
    assert "CN=haicap Local CA, O=Thành phố Hà Nội, C=VN" in run("ca", "show")

    out_dir = tmp_path / "nhung"
    issued = run(
        "ca", "issue", "--name", NAME, "--title", TITLE, "--org", ORG, "--out", str(out_dir)
    )
    found = re.search(r"key passphrase \(shown once\): (\S+)", issued)
    assert found
    assert stat.S_IMODE((out_dir / "key.pem").stat().st_mode) == 0o600
    signer = load_signer(
        (out_dir / "cert.pem").read_bytes(),
        (out_dir / "key.pem").read_bytes(),
        passphrase=found.group(1),
        chain_pem=(out_dir / "chain.pem").read_bytes(),
    )
    signed = sign_pdf(pdf, signer, reason="Ký", location="Hà Nội")
    result = verify_pdf(signed, trust_roots=trust_roots())
    assert result.valid
    assert (result.signatures[0].signer_name, result.signatures[0].signer_title) == (NAME, TITLE)

    passphrase_file = tmp_path / "passphrase"
    passphrase_file.write_text("chosen passphrase\n", encoding="utf-8")
    chosen = run(
        "ca",
        "issue",
        "--name",
        "Lê Văn Bình",
        "--passphrase-file",
        str(passphrase_file),
        "--out",
        str(tmp_path / "binh"),
    )
    assert "shown once" not in chosen
    load_signer(
        (tmp_path / "binh" / "cert.pem").read_bytes(),
        (tmp_path / "binh" / "key.pem").read_bytes(),
        passphrase="chosen passphrase",
    )

    with pytest.raises(CommandError, match="already holds"):
        run("ca", "issue", "--name", NAME, "--out", str(out_dir))
    with pytest.raises(CommandError, match="Full name"):
        run("ca", "issue", "--name", " ", "--out", str(tmp_path / "nobody"))

    run("ca", "init", "--force")
    assert load_ca().fingerprint != fingerprint
    # Signatures under the replaced CA are no longer trusted by the new one.
    assert verify_pdf(signed, trust_roots=trust_roots()).outcome is Outcome.UNTRUSTED


def test_ca_show_without_a_ca_says_what_to_run(settings: Any, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path
    with pytest.raises(CommandError, match="haicap ca init"):
        run("ca", "show")


def test_trust_roots_come_from_the_setting_when_set(
    settings: Any, tmp_path: Path, ca: LocalCA, other_ca: LocalCA
) -> None:
    settings.DATA_DIR = tmp_path
    settings.SIGNING_TRUST_ROOTS = None
    assert trust_roots() == []  # no local CA and nothing configured: nothing is trusted
    bundle = tmp_path / "national-roots.pem"
    bundle.write_bytes(ca.certificate_pem + other_ca.certificate_pem)
    settings.SIGNING_TRUST_ROOTS = str(bundle)
    assert trust_roots() == [ca.certificate, other_ca.certificate]
    settings.SIGNING_TRUST_ROOTS = str(tmp_path / "missing.pem")
    with pytest.raises(ImproperlyConfigured, match="HAICAP_SIGNING_TRUST_ROOTS"):
        trust_roots()
