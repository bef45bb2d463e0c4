"""The development mail and SMS backends print no e-mail address and no lookup secret."""

from __future__ import annotations

import logging

import pytest
from django.core.mail import send_mail
from django.test import override_settings

from haicap.core.logging import MaskPersonalNumbers, mask_personal_data
from haicap.core.sms import ConsoleSmsBackend

TEXT = (
    "Hồ sơ 01.00004-261201-0001 đã được nộp trực tuyến. Mã bí mật tra cứu: K7M2QX9P. "
    "Theo dõi tại http://127.0.0.1:8000/lookup/?code=01.00004-261201-0001&secret=K7M2QX9P"
)


@override_settings(EMAIL_BACKEND="haicap.core.mail.MaskingConsoleBackend")
def test_console_mail_masks_address_and_secret(capsys: pytest.CaptureFixture[str]) -> None:
    send_mail("Đã nộp hồ sơ", TEXT, None, ["binh.nguyen@example.vn"])
    printed = capsys.readouterr().out
    assert "01.00004-261201-0001" in printed  # the dossier code helps debugging
    assert "b***@example.vn" in printed
    assert "binh.nguyen" not in printed
    assert "K7M2QX9P" not in printed


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
