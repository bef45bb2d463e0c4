"""Fixtures shared by every app's tests, with named personas for permission tests.

- alice: receiver and specialist at Phường Ba Đình (Hà Nội, 00004)
- bob: leader and clerk at Phường Ba Đình
- carol: receiver at Phường Hoàn Kiếm (Hà Nội, 00070): same province, other commune
- dave: provincial administrator of Hà Nội (01)
- erin: receiver at a commune of Quảng Ninh (22): another province
- frank: auditor at Phường Ba Đình (reads, never acts)
- citizen: Nguyễn Thị Bình (APPLICANT), a portal account (binh@example.vn) with two dossiers
  of her own at Phường Ba Đình: one waiting for her supplement, one returned (to rate)
- national_admin: the national administrator (a superuser): every unit, every plan
- anonymous: no fixture; the public without a session

Every persona signs in with PASSWORD.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import connections
from django.test import TransactionTestCase

from haicap.core.actors import SYSTEM, Actor
from haicap.core.setup import run_setup_steps
from haicap.dossiers import actions as dossier_actions
from haicap.dossiers.actions import Applicant, do_intake_dossier
from haicap.dossiers.models import Dossier
from haicap.dossiers.papers import Upload
from haicap.portal.actions import do_register_citizen, do_save_draft, do_submit_draft
from haicap.procedures.forms_data import current_form
from haicap.procedures.forms_schema import FormDefinition, example_values
from haicap.procedures.models import Procedure
from haicap.staff.actions import do_add_staff_member
from haicap.units.models import AdminUnit, ServiceCenter, Tier

BA_DINH = "00004"
HOAN_KIEM = "00070"
HANOI = "01"
QUANG_NINH = "22"
BIRTH = "1.001193.000.00.00.H01"  # đăng ký khai sinh: same day
MARITAL = "HCP.HT.004"  # xác nhận tình trạng hôn nhân: 3 working days
PASSWORD = "pw-for-tests-1"  # noqa: S105 - every persona's password in tests


# Tables holding the reference data loaded once per run; transactional tests keep them.
REFERENCE_TABLES = (
    "units_",
    "procedures_",
    "django_migrations",
    "django_content_type",
    "auth_permission",
)


def _flush_work_tables(self: TransactionTestCase) -> None:
    """Empty every table but the reference ones after a transactional test.

    Django's flush would also empty the 14,000 units and the catalogue, and reloading them
    after each browser or concurrency test costs seconds; they are never written by tests.
    """
    for connection in connections.all(initialized_only=True):
        tables = [
            name
            # Every table, Procrastinate's unmanaged job tables included.
            for name in connection.introspection.table_names()
            if not name.startswith(REFERENCE_TABLES)
        ]
        with connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE {} RESTART IDENTITY CASCADE".format(
                    ", ".join(connection.ops.quote_name(name) for name in tables)
                )
            )


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    """The test database with the real reference data, loaded once per run."""
    with django_db_blocker.unblock():
        run_setup_steps(io.StringIO(), progress=False)
    setattr(TransactionTestCase, "_fixture_teardown", _flush_work_tables)  # noqa: B010


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Each test starts with an empty cache: no rate-limit counts or cached answers carried over."""
    cache.clear()


def quang_ninh_commune() -> AdminUnit:
    return (
        AdminUnit.objects.filter(
            province__code=QUANG_NINH, tier=Tier.COMMUNE, valid_from__isnull=False
        )
        .order_by("code")
        .first()
    ) or pytest.fail("Quảng Ninh has no communes loaded")


def _officer(username: str, unit: str, *roles: str) -> User:
    result = do_add_staff_member(
        username, unit_code=unit, roles=list(roles), actor=SYSTEM, password=PASSWORD
    )
    assert isinstance(result.user, User)
    return result.user


@pytest.fixture
def alice(db: Any) -> User:
    return _officer("alice", BA_DINH, "receiver", "specialist")


@pytest.fixture
def bob(db: Any) -> User:
    return _officer("bob", BA_DINH, "leader", "clerk")


@pytest.fixture
def carol(db: Any) -> User:
    return _officer("carol", HOAN_KIEM, "receiver")


@pytest.fixture
def dave(db: Any) -> User:
    return _officer("dave", HANOI, "province_admin")


@pytest.fixture
def erin(db: Any) -> User:
    return _officer("erin", quang_ninh_commune().code, "receiver")


@pytest.fixture
def frank(db: Any) -> User:
    return _officer("frank", BA_DINH, "auditor")


APPLICANT = Applicant(
    full_name="Nguyễn Thị Bình",
    id_number="001203004567",
    phone="0912345678",
    email="binh@example.vn",
    address="12 phố Phan Đình Phùng",
)


@pytest.fixture
def make_dossier(db: Any) -> Callable[..., Dossier]:
    """A dossier received at a counter: make_dossier(actor, procedure=MARITAL, centre=…)."""

    def make(
        actor: Actor = SYSTEM,
        *,
        procedure: str = MARITAL,
        centre: str = f"H{HANOI}.{BA_DINH}",
        applicant: Applicant = APPLICANT,
        **kwargs: Any,
    ) -> Dossier:
        dossier, created = do_intake_dossier(
            procedure=Procedure.objects.get(code=procedure),
            centre=ServiceCenter.objects.select_related("unit", "unit__province").get(code=centre),
            applicant=applicant,
            actor=actor,
            **kwargs,
        )
        assert created
        return dossier

    return make


def example_form(procedure: str) -> dict[str, Any]:
    """Valid e-form values for the procedure (its shipped example), or none without a form."""
    form = current_form(Procedure.objects.get(code=procedure))
    if form is None:
        return {}
    return example_values(FormDefinition.model_validate(form.definition))


def eform_post(procedure: str, *, counter: bool = False) -> dict[str, Any]:
    """The example e-form as a browser posts it, with the papers' desk marks (online) or
    ticks (counter)."""
    values = {
        k: "on" if v is True else v for k, v in example_form(procedure).items() if v is not False
    }
    papers = Procedure.objects.get(code=procedure).papers.all()
    if counter:
        return values | {f"received_{p.pk}": "on" for p in papers if not p.is_declaration}
    return values | {f"desk_{p.pk}": "on" for p in papers if p.desk_allowed}


def example_papers(procedure: str) -> dict[str, Any]:
    """Papers that complete an online filing: uploads, or the desk where that is allowed."""
    uploads: list[tuple[int | None, Upload]] = []
    at_desk = []
    for paper in Procedure.objects.get(code=procedure).papers.filter(mandatory=True):
        if paper.desk_allowed:
            at_desk.append(paper.pk)
        elif not paper.is_declaration:
            uploads.append((paper.pk, Upload(paper.name, "giay.pdf", SAMPLE_PDF, PDF, ".pdf")))
    return {"paper_uploads": uploads, "at_desk": at_desk}


SAMPLE_PDF = b"%PDF-1.4\n%%EOF\n"
PDF = "application/pdf"


def api_eform(form: dict[str, Any]) -> dict[str, Any]:
    """What completes a public API filing, from the procedure's `/form` answer
    (portal/api_eform.py): the example e-form, each mandatory paper uploaded, or left for the
    desk where that is allowed. Needs no database, so it serves a live server's tests too."""
    definition = form["definition"]
    values = example_values(FormDefinition.model_validate(definition)) if definition else {}
    mandatory = [p for p in form["papers"] if p["mandatory"] and not p["is_declaration"]]
    content = base64.b64encode(SAMPLE_PDF).decode()
    return {
        "form": values,
        "papers": [
            {"paper": p["id"], "file_name": "giay.pdf", "content_base64": content}
            for p in mandatory
            if not p["desk_allowed"]
        ],
        "at_desk": [p["id"] for p in mandatory if p["desk_allowed"]],
    }


def _filed_by(citizen: User, procedure: str) -> Dossier:
    """A dossier the citizen files online at Phường Ba Đình, accepted and assigned by bob."""
    draft = do_save_draft(
        draft=None,
        procedure=Procedure.objects.get(code=procedure),
        centre=ServiceCenter.objects.select_related("unit", "unit__province").get(
            code=f"H{HANOI}.{BA_DINH}"
        ),
        applicant=APPLICANT,
        uploads=[Upload("Tờ khai", "to-khai.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf", ".pdf")],
        user=citizen,
        session_key="",
        form_values=example_form(procedure),
        **example_papers(procedure),
    )
    dossier = do_submit_draft(draft, actor=citizen)
    bob = User.objects.get(username="bob")
    dossier = dossier_actions.do_accept_dossier(dossier, actor=User.objects.get(username="alice"))
    return dossier_actions.do_assign_dossier(dossier, assignee=bob, actor=bob)


@pytest.fixture
def citizen(alice: User, bob: User) -> User:
    """Nguyễn Thị Bình's account, made through the portal, with her two dossiers."""
    user = do_register_citizen(
        email=APPLICANT.email,
        password=PASSWORD,
        full_name=APPLICANT.full_name,
        phone=APPLICANT.phone,
    )
    waiting = _filed_by(user, MARITAL)
    dossier_actions.do_request_supplement(
        waiting, missing=["Bản sao Giấy khai sinh"], reason="Thiếu giấy tờ", actor=alice
    )
    returned = _filed_by(user, BIRTH)
    returned = dossier_actions.do_approve_dossier(returned, actor=bob)
    returned = dossier_actions.do_mark_result_ready(returned, actor=bob)
    dossier_actions.do_return_result(returned, actor=bob)
    return user


@pytest.fixture
def national_admin(db: Any) -> User:
    return User.objects.create_superuser("national", password=PASSWORD)
