"""Files of documents: checked by content (not by name), their text extracted for search,
stored, and removed again if the change that brought them fails."""

from __future__ import annotations

import hashlib
import io
import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _

from haicap.core.errors import Invalid

log = logging.getLogger(__name__)

SIGNATURES = {
    "application/pdf": (b"%PDF-", ".pdf"),
    "image/png": (b"\x89PNG\r\n\x1a\n", ".png"),
    "image/jpeg": (b"\xff\xd8\xff", ".jpg"),
}
# Text kept per file for search: enough for any official document, bounded for a huge one.
MAX_TEXT = 200_000
MAX_PAGES = 300


@dataclass(frozen=True)
class Upload:
    name: str
    content: bytes
    content_type: str
    extension: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()

    @property
    def is_pdf(self) -> bool:
        return self.content_type == "application/pdf"


def check_upload(name: str, stream: IO[bytes], *, field: str = "file") -> Upload:
    """Read and check one file: Invalid if empty, too big, or not a PDF, JPEG or PNG."""
    name = name.replace("\x00", "").strip()[:255] or "file"
    limit = settings.DOCUMENTS_MAX_FILE_MB * 1024 * 1024
    content = stream.read(limit + 1)
    if len(content) > limit:
        raise Invalid(
            _("%(file)s is larger than %(mb)s MB.")
            % {"file": name, "mb": settings.DOCUMENTS_MAX_FILE_MB},
            field=field,
        )
    if not content:
        raise Invalid(_("%(file)s is empty.") % {"file": name}, field=field)
    for content_type, (signature, extension) in SIGNATURES.items():
        if content.startswith(signature):
            claimed = name.rsplit(".", 1)[-1].lower() if "." in name else ""
            if claimed and f".{claimed}" not in {extension, ".jpeg"}:
                raise Invalid(
                    _("%(file)s is not what its name says (checked by its content).")
                    % {"file": name},
                    field=field,
                )
            return Upload(name, content, content_type, extension)
    raise Invalid(
        _("%(file)s is not a PDF, JPEG or PNG file (checked by its content).") % {"file": name},
        field=field,
    )


def pdf_text(content: bytes) -> str:
    """The text of a PDF's pages for search; "" when it has none or cannot be read."""
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(content))
        parts: list[str] = []
        size = 0
        for page in reader.pages[:MAX_PAGES]:
            text = page.extract_text() or ""
            parts.append(text)
            size += len(text)
            if size >= MAX_TEXT:
                break
    except Exception as exc:  # a damaged PDF is still a document; it just has no text
        log.info("no text from a PDF: %s", type(exc).__name__)
        return ""
    return " ".join(" ".join(parts).split())[:MAX_TEXT]


@contextmanager
def stored(uploads: list[Upload]) -> Iterator[list[str]]:
    """Write the files, yield their storage names; delete them again if the block fails."""
    names: list[str] = []
    try:
        for upload in uploads:
            path = f"documents/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{upload.extension}"
            names.append(default_storage.save(path, ContentFile(upload.content)))
        yield names
    except BaseException:
        for name in names:
            default_storage.delete(name)
        raise
