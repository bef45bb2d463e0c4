"""Signing and verifying a one-page PDF, beside WeasyPrint rendering the same page.

In-process, no database: a local CA and a signer in a temporary data directory, the page of
a result (Vietnamese, DejaVu Serif) rendered by WeasyPrint; then, interleaved round by round
(this machine's speed drifts), the median of 20 of:

1. rendering the page (the reference);
2. signing it invisibly (PAdES B-B, incremental update), the same with pyHanko's own
   SimpleSigner (which parses the key for every signature), and with a visible stamp;
3. verifying the signed file (one signature), and a file signed twice (difference analysis).

    .venv/bin/python bench/signing.py [--rounds 20]
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import median_ms, save

PAGE = """<!doctype html><html lang="vi"><head><meta charset="utf-8">
<style>body { font-family: "DejaVu Serif", serif; font-size: 12pt; }</style></head><body>
<p>ỦY BAN NHÂN DÂN PHƯỜNG BA ĐÌNH — CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</p>
<h1>Giấy chứng nhận kết quả giải quyết thủ tục hành chính</h1>
<p>Hồ sơ H01.2026.000042: đăng ký khai sinh cho cháu Trần Minh Đức, sinh ngày 01/07/2026.</p>
<p>Người nộp: bà Nguyễn Thị Lan, phường Ba Đình, thành phố Hà Nội.</p>
</body></html>"""


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    rounds = parser.parse_args().rounds

    data_dir = tempfile.mkdtemp(prefix="haicap-bench-signing-")
    os.environ["HAICAP_DATA_DIR"] = data_dir
    os.environ.setdefault("DATABASE_URL", "postgresql://unused@localhost/unused")  # never used
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haicap.settings")
    import django

    django.setup()
    from pyhanko.sign import signers
    from weasyprint import HTML

    from haicap.core.pki import init_ca, issue_signer, trust_roots
    from haicap.core.signing import Signer, Stamp, load_signer, sign_pdf
    from haicap.core.verification import verify_pdf

    passphrase = secrets.token_urlsafe(12)
    started = time.perf_counter()
    ca, _ = init_ca(organisation="Thành phố Hà Nội")
    ca_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    issued = issue_signer(
        ca,
        name="Nguyễn Văn An",
        title="Chủ tịch UBND",
        organisation="UBND Phường Ba Đình",
        passphrase=passphrase,
    )
    issue_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    signer = load_signer(
        issued.certificate_pem,
        issued.key_pem,
        passphrase=passphrase,
        chain_pem=issued.chain_pem,
    )
    load_ms = (time.perf_counter() - started) * 1000
    roots = trust_roots()
    # The same key in pyHanko's own SimpleSigner, which parses the key for every signature.
    plain = Signer(
        certificate=signer.certificate,
        cms_signer=signers.SimpleSigner(
            signing_cert=signer.cms_signer.signing_cert,
            signing_key=signer.cms_signer.signing_key,
            cert_registry=signer.cms_signer.cert_registry,
        ),
    )

    def render() -> bytes:
        return bytes(HTML(string=PAGE).write_pdf())

    pdf = render()
    signed = sign_pdf(pdf, signer, reason="Ký kết quả", location="Hà Nội")
    twice = sign_pdf(
        signed, signer, reason="Ký số cơ quan", location="Hà Nội", field_name="Signature2"
    )
    assert verify_pdf(signed, trust_roots=roots).valid
    assert verify_pdf(twice, trust_roots=roots).valid

    actions: dict[str, Callable[[], object]] = {
        "render": render,
        "sign": lambda: sign_pdf(pdf, signer, reason="Ký kết quả", location="Hà Nội"),
        "sign_with_pyhanko_simplesigner": lambda: sign_pdf(
            pdf, plain, reason="Ký kết quả", location="Hà Nội"
        ),
        "sign_visible": lambda: sign_pdf(
            pdf, signer, reason="Ký kết quả", location="Hà Nội", stamp=Stamp()
        ),
        "verify": lambda: verify_pdf(signed, trust_roots=roots),
        "verify_two_signatures": lambda: verify_pdf(twice, trust_roots=roots),
    }
    for action in actions.values():  # warm imports and caches once
        action()
    samples: dict[str, list[float]] = {name: [] for name in actions}
    for _ in range(rounds):
        for name, action in actions.items():
            samples[name].append(timed(action))

    medians = {name: median_ms(values) for name, values in samples.items()}
    reference = medians["render"]
    save(
        "signing",
        {
            "rounds": rounds,
            "pdf_bytes": len(pdf),
            "signed_bytes": len(signed),
            "median_ms": medians,
            "ratio_to_render": {
                name: round(value / reference, 2) for name, value in medians.items()
            },
            "one_off_ms": {
                "init_ca_rsa2048": round(ca_ms, 1),
                "issue_signer_rsa2048": round(issue_ms, 1),
                "load_signer": round(load_ms, 1),
            },
        },
    )


if __name__ == "__main__":
    main()
