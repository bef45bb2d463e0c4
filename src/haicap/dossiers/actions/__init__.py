"""Every change to a dossier: one function per action, one transaction, one timeline event.

Each action locks the dossier row, checks the state machine (workflow.py), the officer's
role (access.py) and, when given, the version the officer was looking at; then it writes the
changed fields and their history (history.py: a DossierEvent carrying exactly those changes
and an audit event). A second officer acting on the same dossier at the same time gets
Conflict and changes nothing. The modules follow a dossier's life: intake, supplement,
processing, payment, results.
"""

from haicap.dossiers.actions.batch import do_bulk_dossier_action
from haicap.dossiers.actions.intake import (
    do_accept_dossier,
    do_intake_dossier,
    do_refuse_dossier_intake,
    do_submit_dossier,
)
from haicap.dossiers.actions.payment import (
    do_apply_callback,
    do_reconcile_payment,
    do_record_counter_payment,
    do_record_payment,
    do_request_payment,
    do_start_online_payment,
)
from haicap.dossiers.actions.processing import (
    do_apologise_dossier,
    do_approve_dossier,
    do_assign_dossier,
    do_forward_dossier,
    do_receive_dossier_from_agency,
    do_reject_dossier,
    do_send_dossier_to_agency,
    do_stop_dossier,
    do_withdraw_dossier,
)
from haicap.dossiers.actions.results import do_mark_result_ready, do_rate_dossier, do_return_result
from haicap.dossiers.actions.supplement import do_receive_supplement, do_request_supplement
from haicap.dossiers.applicant import Applicant
from haicap.dossiers.workflow import ACTIONS

# For the API and pages: run an action by name with the fields of a form or JSON body.
ACTION_NAMES = tuple(ACTIONS)

__all__ = [
    "ACTION_NAMES",
    "Applicant",
    "do_accept_dossier",
    "do_apologise_dossier",
    "do_apply_callback",
    "do_approve_dossier",
    "do_assign_dossier",
    "do_bulk_dossier_action",
    "do_forward_dossier",
    "do_intake_dossier",
    "do_mark_result_ready",
    "do_rate_dossier",
    "do_receive_dossier_from_agency",
    "do_receive_supplement",
    "do_reconcile_payment",
    "do_record_counter_payment",
    "do_record_payment",
    "do_refuse_dossier_intake",
    "do_reject_dossier",
    "do_request_payment",
    "do_request_supplement",
    "do_return_result",
    "do_send_dossier_to_agency",
    "do_start_online_payment",
    "do_stop_dossier",
    "do_submit_dossier",
    "do_withdraw_dossier",
]
