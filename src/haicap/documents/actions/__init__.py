"""Every change to a document: one module per flow, all re-exported here."""

from haicap.documents.actions.incoming import (
    Received,
    do_complete,
    do_receive,
    do_register_incoming,
    do_return,
    do_route,
)
from haicap.documents.actions.outgoing import (
    Draft,
    Recipient,
    do_approve,
    do_cancel_number,
    do_create_draft,
    do_issue,
    do_number,
    do_revise_draft,
    do_send,
    do_submit,
)

__all__ = [
    "Draft",
    "Received",
    "Recipient",
    "do_approve",
    "do_cancel_number",
    "do_complete",
    "do_create_draft",
    "do_issue",
    "do_number",
    "do_receive",
    "do_register_incoming",
    "do_return",
    "do_revise_draft",
    "do_route",
    "do_send",
    "do_submit",
]
