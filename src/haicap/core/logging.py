"""Keeps personal data out of every log line (Law 91/2025/QH15): citizen ID and phone
numbers, e-mail addresses, dossier lookup secrets and the tokens of account links."""

from __future__ import annotations

import logging
import re

# Citizen ID (12 digits), old ID card (9 digits), phone numbers (0 or +84 then 9-10 digits).
_PERSONAL_NUMBER = re.compile(r"(?<!\d)(?:\+?84|0)?\d{8,11}(?!\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# A lookup secret in a link (?secret=…) or after its label in a message.
_SECRET = re.compile(r"(?i)(secret=|mã bí mật[^:]{0,20}:\s*|secret:\s*)[^\s&\"'<]+")
# The token of a password-reset or activation link: whoever holds the link holds the account.
_LINK_TOKEN = re.compile(r"(/account/(?:password/reset|activate)/)(?!sent/|done/)[^\s\"'<>]+")
MASK = "[redacted]"


def mask_personal_numbers(text: str) -> str:
    return _PERSONAL_NUMBER.sub(MASK, text)


def mask_email(address: str) -> str:
    """nguyen.an@example.vn -> n***@example.vn: the domain helps debugging, the name stays out."""
    local, _sep, domain = address.rpartition("@")
    return f"{local[:1]}***@{domain}" if local else MASK


def mask_personal_data(text: str) -> str:
    """Mask personal numbers, e-mail addresses and lookup secrets in ``text``."""
    text = _SECRET.sub(lambda match: match.group(1) + MASK, text)
    text = _LINK_TOKEN.sub(lambda match: match.group(1) + MASK, text)
    text = _EMAIL.sub(lambda match: mask_email(match.group(0)), text)
    return mask_personal_numbers(text)


class MaskPersonalNumbers(logging.Filter):
    """Rewrites the formatted message so no personal data reaches a handler."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_personal_data(message)
        if masked != message:
            record.msg = masked
            record.args = None
        if record.exc_info and record.exc_info[1] is not None:
            # Exception text is formatted later by the handler; mask it now.
            record.exc_text = mask_personal_data(
                logging.Formatter().formatException(record.exc_info)
            )
        return True
