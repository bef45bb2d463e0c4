"""Vietnamese first: every message of the code and templates has a Vietnamese translation, and
no catalogue holds an untranslated or fuzzy entry (`python -m haicap.i18n update` adds what a
change lacks, for the developer to translate)."""

from __future__ import annotations

from babel.messages.pofile import read_po

from haicap.i18n import LANGUAGE, catalogue_paths, untranslated


def test_every_message_of_the_code_is_translated() -> None:
    missing = {str(key): str(files[0]) for key, files in untranslated().items()}
    assert missing == {}


def test_no_catalogue_entry_is_left_empty_or_fuzzy() -> None:
    missing = []
    for path in catalogue_paths():
        if not path.exists():
            continue
        with path.open("rb") as handle:
            catalogue = read_po(handle, locale=LANGUAGE)
        missing += [
            (path.parent.parent.parent.parent.name, message.id)
            for message in catalogue
            if message.id
            and (
                message.fuzzy
                or not (
                    all(message.string) if isinstance(message.string, tuple) else message.string
                )
            )
        ]
    assert missing == []
