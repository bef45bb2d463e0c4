"""Work queues: waiting for intake, filters, sorting, search permissions, query counts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.test import Client
from django.utils import timezone, translation

from haicap.conftest import APPLICANT, BA_DINH, BIRTH, HANOI, MARITAL
from haicap.core.calendar import calendar
from haicap.core.models import AuditEvent
from haicap.core.templatetags.haicap import due_class, working_span
from haicap.dossiers import actions
from haicap.dossiers.applicant import Applicant
from haicap.dossiers.models import Channel, Dossier, Status
from haicap.procedures.models import Procedure
from haicap.testing.queries import query_count
from haicap.units.models import ServiceCenter


def file_online(applicant: Applicant = APPLICANT, *, at: dt.datetime | None = None) -> Dossier:
    dossier, _created = actions.do_submit_dossier(
        procedure=Procedure.objects.get(code=MARITAL),
        centre=ServiceCenter.objects.select_related("unit", "unit__province").get(
            code=f"H{HANOI}.{BA_DINH}"
        ),
        applicant=applicant,
        actor=AnonymousUser(),
        at=at,
    )
    return dossier


def returned(alice: User, bob: User, make_dossier: Any, **kwargs: Any) -> Dossier:
    dossier = make_dossier(alice, procedure=BIRTH, **kwargs)
    dossier = actions.do_assign_dossier(dossier, assignee=bob, actor=bob)
    dossier = actions.do_approve_dossier(dossier, actor=bob)
    dossier = actions.do_mark_result_ready(dossier, actor=bob)
    return actions.do_return_result(dossier, actor=bob)


def codes(response: Any) -> list[str]:
    return [d.code for d in response.context["page"].items]


def test_waiting_for_intake_lists_online_filings_oldest_first(
    client: Client, alice: User, make_dossier: Any
) -> None:
    now = timezone.now()
    newer = file_online(at=now - dt.timedelta(hours=1))
    older = file_online(at=now - dt.timedelta(days=2))
    make_dossier(alice)  # received at the counter: not waiting
    client.force_login(alice)
    response = client.get("/staff/?queue=intake")
    assert codes(response) == [older.code, newer.code]
    assert response.context["counts"]["intake"] == 2
    assert "Chờ tiếp nhận" in response.content.decode()


def test_filters_narrow_and_columns_sort(client: Client, alice: User, make_dossier: Any) -> None:
    marital = make_dossier(alice)
    birth = make_dossier(alice, procedure=BIRTH)
    online = file_online()
    client.force_login(alice)
    by_procedure = client.get(f"/staff/?queue=unit&procedure={BIRTH}")
    assert codes(by_procedure) == [birth.code]
    assert codes(client.get(f"/staff/?queue=unit&channel={Channel.ONLINE}")) == [online.code]
    assert codes(client.get(f"/staff/?queue=unit&status={Status.NEW}")) == [online.code]
    today = timezone.localdate()
    received = client.get(f"/staff/?queue=unit&received_from={today:%Y-%m-%d}")
    assert set(codes(received)) == {marital.code, birth.code}
    assert codes(client.get("/staff/?queue=unit&due_to=2001-01-01")) == []
    ascending = codes(client.get("/staff/?queue=unit&sort=code"))
    assert ascending == sorted(ascending)
    descending = codes(client.get("/staff/?queue=unit&sort=-code"))
    assert descending == sorted(ascending, reverse=True)


@pytest.mark.parametrize("bad", ["received_from=1800-01-01", "due_to=not-a-date"])
def test_a_bad_filter_is_shown_not_a_500(client: Client, alice: User, bad: str) -> None:
    client.force_login(alice)
    response = client.get(f"/staff/?queue=unit&{bad}")
    assert response.status_code == 200
    assert response.context["form"].errors
    assert 'aria-invalid="true"' in response.content.decode()


def test_a_nul_byte_in_a_filter_is_refused_by_the_input_guard(client: Client, alice: User) -> None:
    # NUL bytes are refused before any view runs (core/guards.py): 400 with a message.
    client.force_login(alice)
    response = client.get("/staff/?queue=unit&due_to=\x00")
    assert response.status_code == 400
    assert "<html" in response.content.decode().lower()


def test_an_unknown_sort_falls_back_to_the_queue_order(client: Client, alice: User) -> None:
    client.force_login(alice)
    assert client.get("/staff/?queue=unit&sort=secret").context["sort"] == "due"


def test_search_finds_finished_dossiers_for_those_who_may_see_them(
    client: Client,
    alice: User,
    bob: User,
    carol: User,
    dave: User,
    erin: User,
    national_admin: User,
    make_dossier: Any,
    django_user_model: Any,
) -> None:
    done = returned(alice, bob, make_dossier)
    for officer in (alice, dave, national_admin):
        client.force_login(officer)
        by_id = client.get(f"/staff/?queue=all&q={APPLICANT.id_number}")
        assert done.code in codes(by_id), officer
        assert done.code in codes(client.get("/staff/?queue=all&q=nguyen thi binh"))
        assert done.code in codes(client.get(f"/staff/?queue=all&q={done.code}"))
    # Not in the open queues, and a partial ID number matches nothing.
    client.force_login(alice)
    assert done.code not in codes(client.get(f"/staff/?queue=unit&q={APPLICANT.id_number}"))
    assert codes(client.get(f"/staff/?queue=all&q={APPLICANT.id_number[:9]}")) == []
    # Another commune, another province: nothing.
    for outsider in (carol, erin):
        client.force_login(outsider)
        assert codes(client.get(f"/staff/?queue=all&q={APPLICANT.id_number}")) == []
    searches = AuditEvent.objects.filter(verb="dossier.search")
    assert searches.filter(actor=alice).exists()
    assert searches.filter(actor=carol).exists()
    # A citizen and an anonymous visitor never reach the page.
    client.force_login(django_user_model.objects.create_user("someone", password="x-long-1"))
    assert client.get("/staff/?queue=all").status_code == 404
    client.logout()
    assert client.get("/staff/?queue=all").status_code == 302


@pytest.mark.django_db
def test_time_left_reads_in_days_and_hours() -> None:
    day = calendar().seconds_per_day
    with translation.override("vi"):
        assert working_span(day + 3 * 3600) == "1 ngày 3 giờ"
        assert working_span(2 * day) == "2 ngày"
        assert working_span(20 * 60) == "20 phút"
    with translation.override("en"):
        assert working_span(day + 3600) == "1 day 1 hour"


def test_due_dates_are_coloured_by_time_left(
    client: Client, alice: User, make_dossier: Any
) -> None:
    make_dossier(alice)  # three working days: more than a day left
    client.force_login(alice)
    html = client.get("/staff/?queue=unit").content.decode()
    assert "badge ok" in html
    assert "còn " in html
    now = timezone.now()
    assert due_class(now - dt.timedelta(minutes=1)) == "late"
    assert due_class(now + dt.timedelta(days=30)) == "ok"
    per_day = calendar().seconds_per_day
    assert due_class(calendar().add_working_seconds(now, per_day // 2)) == "soon"


@pytest.mark.parametrize("queue", ["unit", "all", "intake"])
def test_queue_pages_make_as_many_queries_for_10_rows_as_for_100(
    client: Client, alice: User, bob: User, make_dossier: Any, queue: str
) -> None:
    def make(n: int) -> None:
        for _ in range(n):
            dossier = file_online() if queue == "intake" else make_dossier(alice)
            if queue != "intake":
                actions.do_assign_dossier(dossier, assignee=bob, actor=alice)

    client.force_login(alice)
    make(10)
    url = f"/staff/?queue={queue}&size=100"
    client.get(url)
    few = query_count(lambda: client.get(url))
    make(90)
    response = client.get(url)
    assert len(response.context["page"].items) == 100
    many = query_count(lambda: client.get(url))
    assert few == many


@pytest.mark.parametrize("queue", ["intake", "mine", "unit", "supplement", "all"])
@pytest.mark.parametrize("narrowed", ["", f"&procedure={BIRTH}", "&q=nguyen"])
def test_the_shown_total_is_the_queues_size(
    client: Client, alice: User, make_dossier: Any, queue: str, narrowed: str
) -> None:
    """An unfiltered page takes its total from the tab counts (one COUNT fewer); filtered
    or searched, it counts itself. Either way the total is what the queue holds."""
    mine = make_dossier(alice)
    actions.do_assign_dossier(mine, assignee=alice, actor=alice)
    make_dossier(alice, procedure=BIRTH)
    make_dossier(alice)
    file_online()
    client.force_login(alice)
    response = client.get(f"/staff/?queue={queue}{narrowed}&size=10")
    page = response.context["page"]
    shown = codes(client.get(f"/staff/?queue={queue}{narrowed}&size=100"))
    assert page.count == len(shown) == len(page.items)


def test_a_bad_filter_leaves_the_other_filters_working(
    client: Client, alice: User, bob: User, make_dossier: Any
) -> None:
    waiting = make_dossier(alice)
    processing = make_dossier(alice)
    actions.do_assign_dossier(processing, assignee=bob, actor=alice)
    client.force_login(alice)
    response = client.get(f"/staff/?queue=unit&status={Status.PROCESSING}&received_from=2026-13-45")
    assert codes(response) == [processing.code]
    assert waiting.code not in codes(response)
