"""Translation catalogues without GNU gettext: `python -m haicap.i18n [compile|check|update]`.

- ``compile`` (the default; `make` runs it): every .po to .mo, where the .po is newer.
- ``check``: every message in the code and templates has a Vietnamese translation; lists
  those that do not (the test suite runs the same check).
- ``update``: adds the messages the catalogues lack, untranslated, to the catalogue of the
  app they come from (``<app>/locale/vi/LC_MESSAGES/django.po`` when the app has one, else
  the project's), so a developer only fills in the ``msgstr``.

An app may keep its own catalogue: Django reads every installed app's ``locale`` folder.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

PACKAGE = Path(__file__).resolve().parent
LOCALE_DIR = PACKAGE / "locale"
LANGUAGE = "vi"
KEYWORDS = {
    "_": None,
    "gettext": None,
    "gettext_lazy": None,
    "gettext_noop": None,
    "ngettext": (1, 2),
    "ngettext_lazy": (1, 2),
    "pgettext": ((1, "c"), 2),
    "pgettext_lazy": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
}


def catalogue_paths() -> list[Path]:
    """The project's catalogue first, then the apps' own."""
    found = sorted(PACKAGE.glob(f"*/locale/{LANGUAGE}/LC_MESSAGES/django.po"))
    return [LOCALE_DIR / LANGUAGE / "LC_MESSAGES" / "django.po", *found]


def compile_catalogues() -> list[Path]:
    """Write every .mo whose .po is newer; returns the files written."""
    written = []
    for po_path in sorted(PACKAGE.glob("**/locale/*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po_file:
            catalogue = read_po(po_file, locale=po_path.parts[-3])
        with mo_path.open("wb") as mo_file:
            write_mo(mo_file, catalogue)
        written.append(mo_path)
    return written


def _sources() -> Iterator[Path]:
    for path in sorted(PACKAGE.glob("**/*")):
        parts = set(path.relative_to(PACKAGE).parts)
        if parts & {"migrations", "tests", "testing", "locale"} or path.name == "conftest.py":
            continue
        if path.suffix in {".py", ".html", ".txt"} and path.is_file():
            yield path


def extract_messages() -> dict[str | tuple[str, str], list[Path]]:
    """Every message the code and templates translate: (msgid or (singular, plural)) → files."""
    from django.utils.translation.template import templatize

    found: dict[str | tuple[str, str], list[Path]] = {}
    for path in _sources():
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".py":
            source = text
        elif "{%" in text and ("translate" in text or "trans " in text):
            source = templatize(text)
        else:
            continue
        for _line, message, _comments, context in extract(
            "python", io.BytesIO(source.encode()), keywords=KEYWORDS
        ):
            key: str | tuple[str, str] = (
                message if isinstance(message, str) else (message[0], message[1])
            )
            if context:
                key = message if isinstance(message, str) else message[0]
            if key:
                found.setdefault(key, []).append(path)
    return found


def _read(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=LANGUAGE)


def untranslated() -> dict[str | tuple[str, str], list[Path]]:
    """Messages of the code that no catalogue translates (or only a fuzzy one does)."""
    known: dict[str, bool] = {}
    for path in catalogue_paths():
        if not path.exists():
            continue
        for message in _read(path):
            msgid = message.id if isinstance(message.id, str) else message.id[0]
            string = message.string
            done = bool(all(string) if isinstance(string, tuple) else string)
            known[msgid] = known.get(msgid, False) or (done and not message.fuzzy)
    return {
        key: files
        for key, files in extract_messages().items()
        if not known.get(key if isinstance(key, str) else key[0], False)
    }


def _catalogue_for(path: Path) -> Path:
    app = path.relative_to(PACKAGE).parts[0]
    own = PACKAGE / app / "locale" / LANGUAGE / "LC_MESSAGES" / "django.po"
    return own if own.exists() else catalogue_paths()[0]


def update() -> dict[Path, int]:
    """Add the missing messages, untranslated, to their apps' catalogues; counts per file."""
    missing = untranslated()
    by_catalogue: dict[Path, list[str | tuple[str, str]]] = {}
    for key, files in missing.items():
        by_catalogue.setdefault(_catalogue_for(files[0]), []).append(key)
    added: dict[Path, int] = {}
    for path, keys in by_catalogue.items():
        catalogue = _read(path)
        for key in keys:
            msgid = key if isinstance(key, str) else key[0]
            if catalogue.get(msgid) is None:
                catalogue.add(key, string="" if isinstance(key, str) else ("", ""))
                added[path] = added.get(path, 0) + 1
        with path.open("wb") as handle:
            write_po(handle, catalogue, omit_header=False)
    return added


def main(argv: list[str]) -> int:
    import django

    command = argv[0] if argv else "compile"
    if command == "compile":
        for path in compile_catalogues():
            print(f"compiled {path.relative_to(PACKAGE)}")
        return 0
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haicap.settings")
    os.environ.setdefault("DATABASE_URL", "postgresql://i18n@localhost/i18n")  # never connects
    django.setup()
    if command == "check":
        missing = untranslated()
        for key, files in sorted(missing.items(), key=lambda item: str(item[0])):
            print(f"{files[0].relative_to(PACKAGE)}: {key!r}")
        print(f"{len(missing)} messages without a Vietnamese translation")
        return 1 if missing else 0
    if command == "update":
        for path, count in update().items():
            print(f"{path.relative_to(PACKAGE)}: {count} messages added, to translate")
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
