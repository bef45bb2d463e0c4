"""Keeps citizen ID numbers and phone numbers out of every log line (Law 91/2025/QH15)."""

from __future__ import annotations

import logging
import re

# Citizen ID (12 digits), old ID card (9 digits), phone numbers (0 or +84 then 9-10 digits).
_PERSONAL_NUMBER = re.compile(r"(?<!\d)(?:\+?84|0)?\d{8,11}(?!\d)")
MASK = "[redacted]"


def mask_personal_numbers(text: str) -> str:
    return _PERSONAL_NUMBER.sub(MASK, text)


class MaskPersonalNumbers(logging.Filter):
    """Rewrites the formatted message so no long digit sequence reaches a handler."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_personal_numbers(message)
        if masked != message:
            record.msg = masked
            record.args = None
        if record.exc_info and record.exc_info[1] is not None:
            # Exception text is formatted later by the handler; mask it now.
            record.exc_text = mask_personal_numbers(
                logging.Formatter().formatException(record.exc_info)
            )
        return True
