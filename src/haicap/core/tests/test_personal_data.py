"""Citizen ID and phone numbers never reach the logs; the audit trail cannot be rewritten."""

from __future__ import annotations

import logging

import pytest
from django.db import DatabaseError, transaction

from haicap.core import audit
from haicap.core.actors import SYSTEM
from haicap.core.logging import MASK, MaskPersonalNumbers, mask_personal_numbers
from haicap.core.models import AuditEvent


@pytest.mark.parametrize(
    "text",
    ["CCCD 001203004567", "gọi 0912345678", "phone +84912345678", "CMND 012345678"],
)
def test_numbers_are_masked(text: str) -> None:
    masked = mask_personal_numbers(text)
    assert MASK in masked
    assert not any(run in masked for run in ("001203004567", "912345678", "012345678"))


def test_codes_and_dates_are_kept() -> None:
    text = "dossier 01.00004-261008-0975 on 2026-10-08 unit 00004"
    assert mask_personal_numbers(text) == text


def test_log_filter_masks_arguments_and_tracebacks(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("haicap.test")
    logger.addFilter(MaskPersonalNumbers())
    try:
        with caplog.at_level(logging.INFO, logger="haicap.test"):
            logger.info("looked up %s", "001203004567")
            try:
                raise ValueError("bad phone 0912345678")
            except ValueError:
                logger.exception("failed")
    finally:
        logger.filters.clear()
    assert "001203004567" not in caplog.text
    assert "0912345678" not in caplog.text
    assert all("0912345678" not in (r.exc_text or "") for r in caplog.records)


@pytest.mark.django_db
def test_audit_rows_cannot_be_changed_or_deleted() -> None:
    event = audit.record("test.verb", actor=SYSTEM, subject_type="test", subject_id="1")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(verb="tampered")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).verb == "test.verb"
