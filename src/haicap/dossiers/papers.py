"""Papers attached to dossiers: checked by content (not by name), stored, never half-saved."""

from __future__ import annotations

import hashlib
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
from haicap.dossiers.models import Dossier, DossierPaper

# Magic numbers: the first bytes of each accepted file type.
SIGNATURES = {
    "application/pdf": (b"%PDF-", ".pdf"),
    "image/png": (b"\x89PNG\r\n\x1a\n", ".png"),
    "image/jpeg": (b"\xff\xd8\xff", ".jpg"),
}


def download_name(original_name: str, content_type: str) -> str:
    """The name a stored paper is served under: its original name, with the extension of what
    it really is (a PDF uploaded as "x.exe" downloads as "x.pdf", never as a program)."""
    extension = next((ext for kind, (_sig, ext) in SIGNATURES.items() if kind == content_type), "")
    stem, dot, suffix = original_name.rpartition(".")
    if not extension or (dot and f".{suffix.lower()}" in {extension, ".jpeg"}):
        return original_name
    return f"{stem if dot else original_name}{extension}"


@dataclass(frozen=True)
class Upload:
    """A checked file, ready to be stored."""

    name: str
    original_name: str
    content: bytes
    content_type: str
    extension: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def check(name: str, original_name: str, stream: IO[bytes], field: str = "papers") -> Upload:
    """Read and check one uploaded file; Invalid if too big or not a PDF, JPEG or PNG."""
    limit = settings.MAX_UPLOAD_MB * 1024 * 1024
    content = stream.read(limit + 1)
    if len(content) > limit:
        raise Invalid(
            _("%(file)s is larger than %(mb)s MB.")
            % {"file": original_name, "mb": settings.MAX_UPLOAD_MB},
            field=field,
        )
    if not content:
        raise Invalid(_("%(file)s is empty.") % {"file": original_name}, field=field)
    for content_type, (signature, extension) in SIGNATURES.items():
        if content.startswith(signature):
            return Upload(
                name=name.strip()[:300] or original_name,
                original_name=original_name[:255],
                content=content,
                content_type=content_type,
                extension=extension,
            )
    raise Invalid(
        _("%(file)s is not a PDF, JPEG or PNG file (checked by its content).")
        % {"file": original_name},
        field=field,
    )


@contextmanager
def stored(uploads: list[Upload]) -> Iterator[list[str]]:
    """Write the files, yield their storage names; delete them again if the block fails."""
    names: list[str] = []
    try:
        for upload in uploads:
            path = f"dossiers/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{upload.extension}"
            names.append(default_storage.save(path, ContentFile(upload.content)))
        yield names
    except BaseException:
        for name in names:
            default_storage.delete(name)
        raise


def attach(
    dossier: Dossier,
    uploads: list[Upload],
    names: list[str],
    *,
    stage: str,
    by: str,
    required: list[int | None] | None = None,
) -> list[DossierPaper]:
    """The stored files as the dossier's papers; ``required``: the required paper of each."""
    which = required if required is not None else [None] * len(uploads)
    return DossierPaper.objects.bulk_create(
        DossierPaper(
            dossier=dossier,
            name=upload.name,
            file=name,
            original_name=upload.original_name,
            content_type=upload.content_type,
            size=len(upload.content),
            sha256=upload.sha256,
            stage=stage,
            uploaded_by=by,
            required_paper_id=paper,
        )
        for upload, name, paper in zip(uploads, names, which, strict=True)
    )
