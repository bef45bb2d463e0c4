"""The Vietnamese catalogue is complete: every message translated, none left fuzzy."""

from __future__ import annotations

from babel.messages.pofile import read_po

from haicap.i18n import LOCALE_DIR


def test_every_message_has_a_vietnamese_translation() -> None:
    with (LOCALE_DIR / "vi" / "LC_MESSAGES" / "django.po").open("rb") as handle:
        catalogue = read_po(handle, locale="vi")
    missing = [
        message.id
        for message in catalogue
        if message.id
        and (
            message.fuzzy
            or not (all(message.string) if isinstance(message.string, tuple) else message.string)
        )
    ]
    assert missing == []
