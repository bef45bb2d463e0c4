"""Checking a signed result: its signatures (core/verification.py) and whether haicap issued it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from haicap.core.pki import trust_roots
from haicap.core.verification import Verification, verify_pdf
from haicap.dossiers.models import DossierPaper, PaperStage, ResultSignature


@dataclass(frozen=True)
class ResultCheck:
    verification: Verification
    # The result haicap issued with exactly these bytes, when there is one.
    issued: ResultSignature | None


def check_file(content: bytes) -> ResultCheck:
    """Verify an uploaded file; Invalid (422) if it is not a readable PDF."""
    verification = verify_pdf(content, trust_roots=trust_roots())
    digest = hashlib.sha256(content).hexdigest()
    issued = (
        ResultSignature.objects.select_related(
            "paper", "paper__dossier", "paper__dossier__procedure"
        )
        .filter(paper__sha256=digest, paper__stage=PaperStage.RESULT)
        .first()
    )
    return ResultCheck(verification, issued)


def by_token(token: str) -> tuple[ResultSignature, Verification] | None:
    """The result a QR code names, with the check of the file haicap keeps."""
    issued = (
        ResultSignature.objects.select_related(
            "paper",
            "paper__dossier",
            "paper__dossier__procedure",
            "paper__dossier__responsible_unit",
        )
        .filter(token=token[:40])
        .first()
    )
    if issued is None:
        return None
    paper: DossierPaper = issued.paper
    with paper.file.open("rb") as handle:
        content = handle.read()
    return issued, verify_pdf(content, trust_roots=trust_roots())
