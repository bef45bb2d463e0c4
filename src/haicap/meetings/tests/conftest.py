"""Fixtures of the meetings tests: Hà Nội's points, a meeting of Hà Nội's hub, the engine
pointed at the run's real Janus. Personas (src/haicap/conftest.py): dave organises Hà Nội's
meetings; alice and bob are officers of Phường Ba Đình, carol of Phường Hoàn Kiếm, erin of a
commune in Quảng Ninh."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.utils import timezone

from haicap.conftest import BA_DINH, HANOI, HOAN_KIEM
from haicap.meetings import actions
from haicap.meetings.media import media_engine
from haicap.meetings.models import ConnectionPoint, Meeting, PointKind
from haicap.meetings.points import create_points
from haicap.testing.janus import JanusServer


def point_of(code: str) -> ConnectionPoint:
    found = ConnectionPoint.objects.filter(
        unit__code=code,
        is_active=True,
        kind__in=[PointKind.COMMUNE, PointKind.PROVINCIAL_HUB],
        unit__valid_to__isnull=True,
    )
    if not found.exists():
        # A transactional test before this one emptied the table (conftest._flush_work_tables).
        create_points()
    return found.get()


@pytest.fixture
def hub(db: Any) -> ConnectionPoint:
    return point_of(HANOI)


@pytest.fixture
def ba_dinh(db: Any) -> ConnectionPoint:
    return point_of(BA_DINH)


@pytest.fixture
def hoan_kiem(db: Any) -> ConnectionPoint:
    return point_of(HOAN_KIEM)


def soon(hours: int = 24) -> dt.datetime:
    return (timezone.now() + dt.timedelta(hours=hours)).replace(microsecond=0)


@pytest.fixture
def make_meeting(dave: Any, hub: ConnectionPoint) -> Callable[..., Meeting]:
    """make_meeting(points=[...]) schedules a meeting of Hà Nội's hub (dave organises)."""

    def make(
        *,
        points: list[ConnectionPoint] | None = None,
        hours: int = 24,
        title: str = "Hội nghị trực tuyến",
        **kwargs: Any,
    ) -> Meeting:
        spec = actions.MeetingSpec(
            kind=kwargs.pop("kind", "conference"),
            title=title,
            host=hub.pk,
            starts_at=soon(hours),
            ends_at=soon(hours + 2),
            invite="list" if points is not None else "province",
            points=[p.pk for p in points or []],
            chair="Nguyễn Văn Chủ Trì",
            secretary="Trần Thị Thư Ký",
            **kwargs,
        )
        meeting, created = actions.do_create_meeting(spec, actor=dave)
        assert created
        return meeting

    return make


@pytest.fixture
def engine_settings(janus_server: JanusServer, settings: Any) -> Iterator[JanusServer]:
    """haicap's media engine talking to the run's Janus (and browsers reaching it)."""
    settings.JANUS_URL = janus_server.url
    settings.JANUS_PUBLIC_URL = janus_server.url
    settings.JANUS_API_SECRET = janus_server.api_secret
    settings.JANUS_ADMIN_KEY = janus_server.admin_key
    media_engine.cache_clear()
    yield janus_server
    media_engine.cache_clear()
