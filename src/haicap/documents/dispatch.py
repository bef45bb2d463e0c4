"""Run an action by name: one door for the API and the pages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from haicap.core.actors import Actor
from haicap.core.errors import Invalid, NotFound
from haicap.documents import actions, signing
from haicap.documents.models import Document
from haicap.documents.workflow import ACTIONS


@dataclass
class ActionRequest:
    version: int | None = None
    reason: str = ""
    note: str = ""
    lead: str = ""
    lead_label: str = ""
    cooperating: list[str] = field(default_factory=list)
    days: int | None = None
    due_on: dt.date | None = None
    passphrase: str = ""
    signer_title: str = ""
    recipients: list[actions.Recipient] = field(default_factory=list)


def run_action(
    document: Document, name: str, request: ActionRequest, actor: Actor
) -> tuple[Document, list[str]]:
    """The document after the action, and any warnings (possible duplicates)."""
    if name not in ACTIONS:
        raise NotFound(_("No action %(name)s.") % {"name": name[:40]})
    version = request.version
    if name == "submit":
        return actions.do_submit(document, actor=actor, version=version), []
    if name == "approve":
        done = actions.do_approve(
            document,
            actor=actor,
            version=version,
            note=request.note,
            signer_title=request.signer_title,
        )
        return done, []
    if name == "number":
        return actions.do_number(document, actor=actor, version=version), []
    if name == "sign":
        if not request.passphrase:
            raise Invalid(_("Type your key's passphrase to sign."), field="passphrase")
        signing.do_sign_document(
            document, actor=actor, passphrase=request.passphrase, version=version
        )
        return Document.objects.get(pk=document.pk), []
    if name == "issue":
        return actions.do_issue(document, actor=actor, version=version), []
    if name == "send":
        done = actions.do_send(
            document, actor=actor, version=version, recipients=request.recipients
        )
        return done, []
    if name == "cancel-number":
        return actions.do_cancel_number(
            document, actor=actor, reason=request.reason, version=version
        ), []
    if name == "receive":
        return actions.do_receive(document, actor=actor, version=version)
    if name == "route":
        done = actions.do_route(
            document,
            actor=actor,
            lead=request.lead,
            lead_label=request.lead_label,
            cooperating=request.cooperating,
            days=request.days,
            due_on=request.due_on,
            note=request.note,
            version=version,
        )
        return done, []
    if name == "complete":
        return actions.do_complete(document, actor=actor, note=request.note, version=version), []
    return actions.do_return(document, actor=actor, reason=request.reason, version=version), []
