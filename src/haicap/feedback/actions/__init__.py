"""Every change to feedback data (docs/design.md#actions), by feature."""

from haicap.feedback.actions.apikeys import do_create_api_app, do_revoke_api_app
from haicap.feedback.actions.categories import (
    CategoryFields,
    do_save_category,
    do_withdraw_category,
)
from haicap.feedback.actions.filing import Intake, do_file_report
from haicap.feedback.actions.workflow import (
    do_answer_report,
    do_assign_report,
    do_close_report,
    do_confirm_unit,
    do_escalate_report,
    do_merge_reports,
    do_rate_report,
    do_reopen_report,
    do_resume_report,
    do_start_report,
    do_transfer_report,
    do_wait_for_citizen,
)

__all__ = [
    "CategoryFields",
    "Intake",
    "do_answer_report",
    "do_assign_report",
    "do_close_report",
    "do_confirm_unit",
    "do_create_api_app",
    "do_escalate_report",
    "do_file_report",
    "do_merge_reports",
    "do_rate_report",
    "do_reopen_report",
    "do_resume_report",
    "do_revoke_api_app",
    "do_save_category",
    "do_start_report",
    "do_transfer_report",
    "do_wait_for_citizen",
    "do_withdraw_category",
]
