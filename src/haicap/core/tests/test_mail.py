"""The development mail and SMS backends print no e-mail address and no lookup secret."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from django.core.mail import send_mail
from django.test import override_settings

from haicap.core.logging import MaskPersonalNumbers, mask_personal_data
from haicap.core.sms import ConsoleSmsBackend

TEXT = (
    "Hồ sơ H01.00004-261201-0001 đã được nộp trực tuyến. Mã bí mật tra cứu: K7M2QX9P. "
    "Theo dõi tại http://127.0.0.1:8000/lookup/?code=H01.00004-261201-0001&secret=K7M2QX9P"
)


@override_settings(EMAIL_BACKEND="haicap.core.mail.MaskingConsoleBackend")
def test_console_mail_masks_address_and_secret(capsys: pytest.CaptureFixture[str]) -> None:
    send_mail("Đã nộp hồ sơ", TEXT, None, ["binh.nguyen@example.vn"])
    printed = capsys.readouterr().out
    assert "H01.00004-261201-0001" in printed  # the dossier code helps debugging
    assert "b***@example.vn" in printed
    assert "binh.nguyen" not in printed
    assert "K7M2QX9P" not in printed


@override_settings(EMAIL_BACKEND="haicap.core.mail.MaskingConsoleBackend")
def test_account_links_reach_the_outbox_file_not_the_log(
    capsys: pytest.CaptureFixture[str], settings: Any, tmp_path: Path
) -> None:
    settings.DATA_DIR = tmp_path
    link = "http://127.0.0.1:8000/account/password/reset/MTc/dixnbr-d94ce8fb6fa7530bd34e/"
    activate = "http://127.0.0.1:8000/account/activate/MTg/dj2k1-8a7b6c5d4e3f/"
    send_mail("Đặt lại mật khẩu", f"Mở {link} hoặc {activate}", None, ["hai.pham@example.vn"])
    printed = capsys.readouterr().out
    assert "dixnbr-d94ce8fb6fa7530bd34e" not in printed
    assert "dj2k1-8a7b6c5d4e3f" not in printed
    assert "/account/password/reset/[redacted]" in printed
    (kept,) = (tmp_path / "mail").iterdir()
    assert kept.stat().st_mode & 0o077 == 0  # the server's user only
    assert link.encode() in kept.read_bytes()


def test_console_sms_masks_secret(capsys: pytest.CaptureFixture[str]) -> None:
    ConsoleSmsBackend().send("0912345678", TEXT)
    printed = capsys.readouterr().out
    assert "K7M2QX9P" not in printed
    assert "0912345678" not in printed


def test_log_filter_masks_addresses_and_secrets() -> None:
    record = logging.LogRecord("x", logging.INFO, "", 0, "to %s: %s", ("a.b@c.vn", TEXT), None)
    MaskPersonalNumbers().filter(record)
    assert "a.b@c.vn" not in record.getMessage()
    assert "K7M2QX9P" not in record.getMessage()
    assert mask_personal_data("secret: ABCD2345 and 001203004567") == (
        "secret: [redacted] and [redacted]"
    )
