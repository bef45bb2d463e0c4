"""A report's way from receipt to closing: assign, start, wait for the citizen, transfer,
escalate, answer, close, reopen, merge, rate (docs/feedback.md#workflow)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from haicap.core.actors import SYSTEM, Actor, person_id
from haicap.core.calendar import calendar
from haicap.core.errors import Conflict, Invalid, NotFound
from haicap.feedback.actions.common import event, lock, may_handle, record, require, save
from haicap.feedback.models import DONE, OPEN, Rating, Report, ReportEvent, Status
from haicap.units.models import AdminUnit, Tier

# A report bounced more than this many times goes to the province.
MAX_TRANSFERS = 2
# The citizen may reopen an answer for this long.
REOPEN_WINDOW = dt.timedelta(days=7)
MAX_NOTE = 4000


def _note(text: str, *, required: bool = True, name: str = "note") -> str:
    text = text.strip()
    if "\x00" in text:
        raise Invalid(_("The text contains a NUL character."), field=name)
    if required and not text:
        raise Invalid(_("This field is required."), field=name)
    if len(text) > MAX_NOTE:
        raise Invalid(_("At most %(n)s characters, please.") % {"n": MAX_NOTE}, field=name)
    return text


def _notify(report_event: ReportEvent) -> None:
    from haicap.feedback.tasks import enqueue_notification

    enqueue_notification(report_event)


@transaction.atomic
def do_assign_report(
    report: Report, *, actor: Actor, handler: AbstractBaseUser | None = None
) -> Report:
    """The unit takes the report (and confirms a location suggested from coordinates)."""
    report = lock(report, actor)
    require(report, Status.RECEIVED, Status.ASSIGNED)
    report.status = Status.ASSIGNED
    report.unit_confirmed = True
    report.handler_id = handler.pk if handler is not None else person_id(actor)
    save(report, "status", "unit_confirmed", "handler")
    event(report, "assign", actor, to_unit=report.unit)
    record("assign", report, actor, after={"unit": report.unit.code})
    return report


@transaction.atomic
def do_start_report(report: Report, *, actor: Actor) -> Report:
    report = lock(report, actor)
    require(report, Status.RECEIVED, Status.ASSIGNED)
    report.status = Status.IN_PROGRESS
    report.unit_confirmed = True
    save(report, "status", "unit_confirmed")
    event(report, "start", actor)
    record("start", report, actor)
    return report


@transaction.atomic
def do_wait_for_citizen(report: Report, *, question: str, actor: Actor) -> Report:
    """Ask the citizen for more; the clock stops until they answer."""
    question = _note(question, name="question")
    report = lock(report, actor)
    require(report, Status.ASSIGNED, Status.IN_PROGRESS)
    report.status = Status.WAITING
    report.waiting_since = timezone.now()
    save(report, "status", "waiting_since")
    event(report, "wait", actor, note=question)
    record("wait", report, actor)
    return report


@transaction.atomic
def do_resume_report(report: Report, *, reply: str = "", actor: Actor) -> Report:
    """The citizen answered: the deadlines move by the office time the wait lasted."""
    report = lock(report, actor, check=False) if actor is SYSTEM else lock(report, actor)
    require(report, Status.WAITING)
    now = timezone.now()
    cal = calendar()
    since = report.waiting_since or now
    report.due_at, paused = cal.shift_for_pause(report.due_at, since, now)
    report.mark_15_at, _paused = cal.shift_for_pause(report.mark_15_at, since, now)
    report.waited_seconds += paused
    report.waiting_since = None
    report.status = Status.IN_PROGRESS
    save(report, "status", "due_at", "mark_15_at", "waited_seconds", "waiting_since")
    event(report, "resume", actor, note=_note(reply, required=False), data={"paused": paused})
    record("resume", report, actor, after={"paused_seconds": paused})
    return report


def _move(report: Report, to: AdminUnit, action: str, reason: str, actor: Actor) -> None:
    before = report.unit
    report.unit = to
    report.status = Status.ASSIGNED
    report.handler = None
    report.unit_confirmed = True
    save(report, "unit", "status", "handler", "unit_confirmed", "transfers", "escalated")
    moved = event(report, action, actor, note=reason, from_unit=before, to_unit=to)
    record(action, report, actor, before={"unit": before.code}, after={"unit": to.code})
    _notify(moved)


@transaction.atomic
def do_transfer_report(report: Report, *, to: AdminUnit, reason: str, actor: Actor) -> Report:
    """Send the report to another unit of the province; past two bounces, to the province."""
    reason = _note(reason, name="reason")
    report = lock(report, actor)
    require(report, *OPEN)
    if report.status == Status.WAITING:
        raise Conflict(_("Wait for the citizen's answer before transferring."))
    today = timezone.localdate()
    if not to.in_force_on(today) or to.tier not in (Tier.COMMUNE, Tier.PROVINCE):
        raise Invalid(_("Choose a commune or province in force."), field="to")
    if (to.province_id or to.pk) != report.province_id:
        raise Invalid(_("Transfers stay within the province."), field="to")
    if to.pk == report.unit_id:
        raise Invalid(_("The report is already at this unit."), field="to")
    report.transfers += 1
    if report.transfers > MAX_TRANSFERS and to.pk != report.province_id:
        report.escalated = True
        reason = _("%(reason)s (transferred %(n)s times: sent to the province)") % {
            "reason": reason,
            "n": report.transfers,
        }
        _move(report, report.province, "escalate", reason, actor)
    else:
        _move(report, to, "transfer", reason, actor)
    return report


@transaction.atomic
def do_escalate_report(report: Report, *, reason: str, actor: Actor) -> Report:
    reason = _note(reason, name="reason")
    report = lock(report, actor)
    require(report, *OPEN)
    if report.status == Status.WAITING:
        raise Conflict(_("Wait for the citizen's answer before escalating."))
    if report.unit_id == report.province_id:
        raise Conflict(_("The report is already with the province."))
    report.escalated = True
    _move(report, report.province, "escalate", reason, actor)
    return report


@transaction.atomic
def do_answer_report(report: Report, *, answer: str, actor: Actor) -> Report:
    """The reply to the citizen; published with the report when the report is public."""
    answer = _note(answer, name="answer")
    report = lock(report, actor)
    require(report, Status.RECEIVED, Status.ASSIGNED, Status.IN_PROGRESS)
    now = timezone.now()
    cal = calendar()
    report.status = Status.ANSWERED
    report.answer = answer
    report.answered_at = now
    handled = max(0, cal.working_seconds(report.received_at, now) - report.waited_seconds)
    report.handled_seconds = handled
    report.within_15_days = handled <= 15 * cal.seconds_per_day
    report.unit_confirmed = True
    save(
        report,
        "status",
        "answer",
        "answered_at",
        "handled_seconds",
        "within_15_days",
        "unit_confirmed",
    )
    answered = event(report, "answer", actor, note=answer)
    record("answer", report, actor, after={"within_15_days": report.within_15_days})
    _notify(answered)
    return report


@transaction.atomic
def do_close_report(report: Report, *, actor: Actor) -> Report:
    report = lock(report, actor, check=actor is not SYSTEM)
    require(report, Status.ANSWERED)
    report.status = Status.CLOSED
    report.closed_at = timezone.now()
    save(report, "status", "closed_at")
    event(report, "close", actor)
    record("close", report, actor)
    return report


def _citizen_lock(report: Report, secret: str) -> Report:
    locked = (
        Report.objects.select_for_update(of=("self",))
        .select_related("unit", "province", "category")
        .get(pk=report.pk)
    )
    if not secret or locked.secret != secret.strip().upper():
        raise NotFound(_("No report matches this code and secret."))
    return locked


@transaction.atomic
def do_reopen_report(report: Report, *, secret: str, reason: str, actor: Actor) -> Report:
    """The citizen is not satisfied with the answer: back to the unit, within 7 days."""
    reason = _note(reason, name="reason")
    report = _citizen_lock(report, secret)
    require(report, Status.ANSWERED, Status.CLOSED)
    if report.answered_at is None or timezone.now() - report.answered_at > REOPEN_WINDOW:
        raise Conflict(_("A report can be reopened within 7 days of its answer."))
    now = timezone.now()
    report.status = Status.IN_PROGRESS
    report.reopened += 1
    report.closed_at = None
    report.due_at = calendar().due_in_working_days(now, report.category.reply_days)
    save(report, "status", "reopened", "closed_at", "due_at")
    event(report, "reopen", actor, note=reason)
    record("reopen", report, actor)
    return report


@transaction.atomic
def do_rate_report(
    report: Report, *, secret: str, rating: str, note: str = "", actor: Actor
) -> Report:
    if rating not in Rating.values:
        raise Invalid(_("Choose a rating."), field="rating")
    note = _note(note, required=False)[:500]
    report = _citizen_lock(report, secret)
    require(report, Status.ANSWERED, Status.CLOSED)
    report.rating = rating
    report.rating_note = note
    save(report, "rating", "rating_note")
    event(report, "rate", actor, public=False, data={"rating": rating})
    record("rate", report, actor, after={"rating": rating})
    return report


@transaction.atomic
def do_merge_reports(duplicate: Report, *, into: Report, actor: Actor) -> Report:
    """The same problem reported twice: the duplicate closes, pointing at the original."""
    if duplicate.pk == into.pk:
        raise Invalid(_("A report cannot be merged into itself."), field="into")
    first, second = sorted([duplicate, into], key=lambda r: r.pk)
    locked = {r.pk: lock(r, actor) for r in (first, second)}
    duplicate, into = locked[duplicate.pk], locked[into.pk]
    require(duplicate, *OPEN)
    if into.status == Status.MERGED:
        raise Conflict(_("Merge into the report the other was merged into."))
    if duplicate.province_id != into.province_id:
        raise Invalid(_("Only reports of the same province can be merged."), field="into")
    duplicate.status = Status.MERGED
    duplicate.duplicate_of = into
    duplicate.closed_at = timezone.now()
    save(duplicate, "status", "duplicate_of", "closed_at")
    note = _("Merged into %(code)s.") % {"code": into.code}
    event(duplicate, "merge", actor, note=note, data={"into": into.code})
    event(into, "absorb", actor, public=False, data={"duplicate": duplicate.code})
    record("merge", duplicate, actor, after={"into": into.code})
    return duplicate


@transaction.atomic
def do_confirm_unit(report: Report, *, unit: AdminUnit, actor: Actor) -> Report:
    """Confirm (or correct, within the province) the commune suggested from coordinates."""
    report = lock(report, actor)
    require(report, *OPEN)
    if (unit.province_id or unit.pk) != report.province_id or not may_handle(actor, report.unit):
        raise Invalid(_("Choose a unit of the province."), field="unit")
    before = report.unit
    report.unit = unit
    report.unit_confirmed = True
    save(report, "unit", "unit_confirmed")
    event(report, "locate", actor, public=False, from_unit=before, to_unit=unit)
    record("locate", report, actor, before={"unit": before.code}, after={"unit": unit.code})
    return report


def is_finished(report: Report) -> bool:
    return report.status in DONE
