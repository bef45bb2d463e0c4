"""Journey tests: each persona walks the whole site in Chromium on demo-like data, following
links and submitting every form with invalid and valid input (haicap.testing.journey).

Each test fails on any 5xx the browser receives and on invalid input answered without an error
on the page; a summary goes to test-artifacts/journey-<persona>.txt with a few screenshots.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Browser

from haicap.conftest import APPLICANT, BA_DINH, BIRTH, HANOI, MARITAL, PASSWORD
from haicap.core.actors import SYSTEM
from haicap.demo.stories import create_demo
from haicap.dossiers import actions
from haicap.dossiers.models import Dossier, Status
from haicap.procedures.models import CompetentTier, FeeKind, Procedure
from haicap.reorg.actions import do_build_plan_2025
from haicap.testing.browser import ARTIFACTS, browser
from haicap.testing.journey import JourneyReport, Limits, Persona, run_journey
from haicap.testing.journey_report import write_summary
from haicap.units.models import ServiceCenter

__all__ = ["browser"]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OFFICER_LANDING = ("/staff/",)


def _filed_online() -> Dossier:
    dossier, _created = actions.do_submit_dossier(
        procedure=Procedure.objects.get(code=MARITAL),
        centre=ServiceCenter.objects.select_related("unit", "unit__province").get(
            code=f"H{HANOI}.{BA_DINH}"
        ),
        applicant=APPLICANT,
        actor=SYSTEM,
    )
    return dossier


def _every_state_at_ba_dinh(alice: User, bob: User, make_dossier: Any) -> None:
    """One dossier of Phường Ba Đình in each status, through the real actions."""
    fee_bearing = (
        Procedure.objects.filter(competent_tier=CompetentTier.COMMUNE, fee_amount__gt=0)
        .exclude(fee_kind=FeeKind.FREE)
        .order_by("code")
        .first()
    )
    actions.do_refuse_dossier_intake(_filed_online(), reason="Sai nơi", actor=alice)
    assert _filed_online().status == Status.NEW
    received = make_dossier(alice)
    processing = actions.do_assign_dossier(make_dossier(alice), assignee=alice, actor=bob)
    actions.do_request_supplement(processing, missing=["Tờ khai"], reason="Thiếu", actor=alice)
    working = actions.do_assign_dossier(make_dossier(alice), assignee=alice, actor=bob)
    # In bob's own queue, waiting for the leader's decision.
    actions.do_assign_dossier(make_dossier(alice), assignee=bob, actor=bob)
    if fee_bearing is not None:
        paying = make_dossier(alice, procedure=fee_bearing.code)
        actions.do_request_payment(paying, amount=None, actor=alice)
    actions.do_withdraw_dossier(make_dossier(alice), reason="Xin rút", actor=alice)
    stopped = actions.do_assign_dossier(make_dossier(alice), assignee=alice, actor=bob)
    actions.do_stop_dossier(stopped, reason="Không bổ sung", actor=bob)
    done = actions.do_approve_dossier(
        actions.do_assign_dossier(make_dossier(alice), assignee=alice, actor=bob), actor=bob
    )
    actions.do_mark_result_ready(done, actor=bob)
    assert {received.status, working.status} == {Status.ACCEPTED, Status.PROCESSING}


@pytest.fixture(autouse=True)
def _quick_passwords(settings: Any) -> None:
    """The demo's 14 officers and the personas sign in with hashes that take no time to make;
    the default hasher's deliberate slowness would cost seconds per test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def demo_like(tmp_path: Path, alice: User, bob: User, make_dossier: Any) -> None:
    create_demo(tmp_path, count=40)
    _every_state_at_ba_dinh(alice, bob, make_dossier)
    at_ba_dinh = set(
        Dossier.objects.filter(receiving_unit__code=BA_DINH).values_list("status", flat=True)
    )
    assert at_ba_dinh >= set(Status.values) - {Status.PAYMENT_REQUESTED}


def walk(browser: Browser, live_server: Any, persona: Persona, floor: int) -> JourneyReport:
    """The persona's journey, its summary printed and saved; fails on what it found."""
    report = run_journey(browser, live_server.url, persona, Limits())
    write_summary(report, ARTIFACTS / f"journey-{persona.name}.txt")
    print(report.summary())
    assert len(report.pages) > floor, f"{persona.name} reached only {report.pages}"
    failures = report.failures()
    assert not failures, f"{len(failures)} failures:\n" + "\n".join(failures)
    return report


def test_anonymous(browser: Browser, live_server: Any, demo_like: None) -> None:
    walk(browser, live_server, Persona("anonymous"), floor=15)


def test_citizen(browser: Browser, live_server: Any, demo_like: None, citizen: User) -> None:
    birth_form = f"/procedures/{BIRTH}/file/"
    filed = Dossier.objects.filter(procedure__code=BIRTH, applicant_user=citizen)
    before = filed.count()
    report = walk(
        browser,
        live_server,
        Persona("citizen", citizen.get_username(), PASSWORD, landing=("/me/", birth_form)),
        floor=15,
    )
    assert any("/supplement/" in s.form for s in report.submissions)
    assert any("/rating/" in s.form for s in report.submissions)
    # The birth registration's e-form, filled with valid input and its papers, was filed.
    assert any(s.variant == "valid" and "/file/" in s.form for s in report.submissions)
    assert filed.filter(eform__values__has_key="child_full_name").count() > before, report.notes


def test_alice_receiver_and_specialist(
    browser: Browser, live_server: Any, demo_like: None, alice: User
) -> None:
    report = walk(browser, live_server, Persona("alice", "alice", PASSWORD, OFFICER_LANDING), 20)
    assert any("/staff/intake/?procedure=" in url for url in report.htmx)


def test_bob_leader_and_clerk(
    browser: Browser, live_server: Any, demo_like: None, bob: User
) -> None:
    walk(browser, live_server, Persona("bob", "bob", PASSWORD, OFFICER_LANDING), floor=20)


def test_carol_other_commune(
    browser: Browser, live_server: Any, demo_like: None, carol: User
) -> None:
    walk(browser, live_server, Persona("carol", "carol", PASSWORD, OFFICER_LANDING), floor=15)


def test_dave_province_admin(
    browser: Browser, live_server: Any, demo_like: None, dave: User
) -> None:
    do_build_plan_2025(actor=SYSTEM)
    walk(browser, live_server, Persona("dave", "dave", PASSWORD, OFFICER_LANDING), floor=20)


def test_frank_auditor(browser: Browser, live_server: Any, demo_like: None, frank: User) -> None:
    walk(browser, live_server, Persona("frank", "frank", PASSWORD, OFFICER_LANDING), floor=15)


def test_national_admin(
    browser: Browser, live_server: Any, demo_like: None, national_admin: User
) -> None:
    persona = Persona(
        "national", "national", PASSWORD, landing=("/staff/", "/admin/"), admin_pages=3
    )
    walk(browser, live_server, persona, floor=20)
