"""Applicants are told by e-mail and SMS, through jobs enqueued in the action's transaction."""

from __future__ import annotations

import logging
import threading
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from procrastinate.contrib.django import app
from procrastinate.contrib.django.django_connector import DjangoConnector
from procrastinate.contrib.django.models import ProcrastinateJob

from haicap.conftest import APPLICANT, MARITAL
from haicap.core.actors import SYSTEM
from haicap.core.errors import Invalid
from haicap.core.sms import MemorySmsBackend
from haicap.dossiers import actions
from haicap.dossiers.actions import Applicant
from haicap.procedures.models import Procedure
from haicap.units.models import ServiceCenter

NOTIFY = "haicap.notify_dossier_event"


def intake(actor: Any = SYSTEM, applicant: Applicant = APPLICANT) -> Any:
    dossier, _ = actions.do_intake_dossier(
        procedure=Procedure.objects.get(code=MARITAL),
        centre=ServiceCenter.objects.select_related("unit").get(code="H01.00004"),
        applicant=applicant,
        actor=actor,
    )
    return dossier


@pytest.mark.django_db
def test_actions_enqueue_their_notifications(alice: Any) -> None:
    dossier = intake(alice)
    actions.do_request_supplement(dossier, missing=["Tờ khai"], reason="Thiếu", actor=alice)
    actions.do_receive_supplement(dossier, actor=alice)  # nothing to tell
    jobs = ProcrastinateJob.objects.filter(task_name=NOTIFY).order_by("id")
    events = {e.pk: e.action for e in dossier.events.all()}
    assert [events[job.args["event_id"]] for job in jobs] == ["intake", "request_supplement"]
    assert {job.queue_name for job in jobs} == {"notifications"}


@pytest.mark.django_db
def test_a_refused_action_enqueues_nothing(alice: Any) -> None:
    with pytest.raises(Invalid):
        intake(alice, Applicant(full_name="An", phone="123"))
    assert not ProcrastinateJob.objects.filter(task_name=NOTIFY).exists()


@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_email_and_sms_without_logging_numbers(
    settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    settings.SMS_BACKEND = "haicap.core.sms.MemorySmsBackend"
    MemorySmsBackend.outbox.clear()
    dossier = intake()
    connector = app.connector
    assert isinstance(connector, DjangoConnector)
    worker_connector = connector.get_worker_connector()

    def work() -> None:
        # A thread of its own: no other event loop (a browser test's) is running there.
        try:
            app.run_worker(wait=False, install_signal_handlers=False, listen_notify=False)
        finally:
            connection.close()

    with caplog.at_level(logging.DEBUG), app.replace_connector(worker_connector):
        worker = threading.Thread(target=work)
        worker.start()
        worker.join(timeout=60)
    assert ProcrastinateJob.objects.get(task_name=NOTIFY).status == "succeeded"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [APPLICANT.email]
    assert dossier.code in mail.outbox[0].body
    assert "Hẹn trả kết quả" in mail.outbox[0].body
    assert MemorySmsBackend.outbox == [(APPLICANT.phone, mail.outbox[0].body)]
    assert APPLICANT.phone not in caplog.text
    assert APPLICANT.id_number not in caplog.text
