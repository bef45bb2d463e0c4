"""Connection points: one per commune and province made by `haicap setup`, listed by province
with their unit's code, kept up to date by their officers; bad input changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from haicap.core.actors import SYSTEM
from haicap.meetings.models import ConnectionPoint, PointKind
from haicap.meetings.points import create_points
from haicap.staff.actions import do_create_api_token
from haicap.units.models import AdminUnit, Tier

pytestmark = pytest.mark.django_db


def bearer(user: User) -> dict[str, str]:
    _token, key = do_create_api_token(user.get_username(), name="test", actor=SYSTEM)
    return {"Authorization": f"Bearer {key}"}


def test_setup_made_one_point_per_commune_and_province_and_runs_again_idempotent() -> None:
    today = timezone.localdate()
    units = AdminUnit.objects.in_force_on(today).filter(tier__in=[Tier.PROVINCE, Tier.COMMUNE])
    points = ConnectionPoint.objects.filter(is_active=True)
    assert (
        points.filter(kind=PointKind.PROVINCIAL_HUB).count()
        == units.filter(tier=Tier.PROVINCE).count()
        == 34
    )
    assert (
        points.filter(kind=PointKind.COMMUNE).count()
        == units.filter(tier=Tier.COMMUNE).count()
        == 3321
    )
    assert create_points() == 0


def test_api_lists_hai_phong_points_with_unit_codes(national_admin: User, client: Client) -> None:
    answer = client.get("/api/v1/connection-points?province=31", headers=bearer(national_admin))
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["count"] == 115  # Hải Phòng's hub and its 114 communes, wards and special zones
    kinds = [p["kind"] for p in body["items"]]
    assert kinds.count("provincial_hub") == 1
    assert kinds.count("commune") == 114
    assert all(p["unit"]["code"] and p["province"] == "31" for p in body["items"])
    assert body["items"][0]["unit"]["code"] == "31"


def test_point_list_query_count_is_flat(national_admin: User, client: Client) -> None:
    headers = bearer(national_admin)
    client.get("/api/v1/connection-points?province=31&page_size=1", headers=headers)  # warm caches
    counts = []
    for size in (10, 100):
        with CaptureQueriesContext(connection) as queries:
            assert (
                client.get(
                    f"/api/v1/connection-points?province=31&page_size={size}", headers=headers
                ).status_code
                == 200
            )
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_an_officer_keeps_their_point_up_to_date_and_others_cannot(
    alice: User, carol: User, client: Client, ba_dinh: ConnectionPoint
) -> None:
    body = {
        "room_name": "Hội trường tầng 2",
        "has_camera": True,
        "has_microphone": True,
        "has_screen": True,
        "has_speakers": True,
        "uplink_mbps": 50,
        "contact_name": "Lê Văn Kỹ Thuật",
        "contact_phone": "0912 345 678",
        "contact_email": "kythuat@example.vn",
    }
    url = f"/api/v1/connection-points/{ba_dinh.pk}"
    assert (
        client.put(url, body, content_type="application/json", headers=bearer(carol)).status_code
        == 404
    )
    answer = client.put(url, body, content_type="application/json", headers=bearer(alice))
    assert answer.status_code == 200, answer.content
    assert answer.json()["equipment"]["uplink_mbps"] == 50.0
    ba_dinh.refresh_from_db()
    assert ba_dinh.checklist_complete
    assert ba_dinh.contact_name == "Lê Văn Kỹ Thuật"

    for bad in (
        {"contact_email": "not an address"},
        {"contact_name": "a\x00b"},
        {"uplink_mbps": -1},
    ):
        answer = client.put(
            url, {**body, **bad}, content_type="application/json", headers=bearer(alice)
        )
        assert answer.status_code in (400, 422), answer.content
        assert "error" in answer.json()
    ba_dinh.refresh_from_db()
    assert ba_dinh.contact_email == "kythuat@example.vn"


def test_erin_sees_no_point_of_ha_noi(erin: User, client: Client, ba_dinh: ConnectionPoint) -> None:
    assert (
        client.get(f"/api/v1/connection-points/{ba_dinh.pk}", headers=bearer(erin)).status_code
        == 404
    )
    listed = client.get("/api/v1/connection-points?province=01", headers=bearer(erin)).json()
    assert listed["count"] == 0


def test_anonymous_gets_401(client: Client) -> None:
    assert client.get("/api/v1/connection-points").status_code == 401


def test_point_pages(alice: User, client: Client, ba_dinh: ConnectionPoint, settings: Any) -> None:
    client.force_login(alice)
    page = client.get("/staff/meetings/points/")
    assert page.status_code == 200
    assert "Điểm cầu Phường Ba Đình" in page.content.decode()
    assert client.get("/staff/meetings/points/?format=csv").status_code == 200
    edit = client.post(
        f"/staff/meetings/points/{ba_dinh.pk}/",
        {
            "room_name": "Phòng họp",
            "has_camera": "on",
            "uplink_mbps": "abc",
            "version": ba_dinh.version,
        },
    )
    assert edit.status_code == 422
    ok = client.post(
        f"/staff/meetings/points/{ba_dinh.pk}/",
        {
            "room_name": "Phòng họp",
            "has_camera": "on",
            "uplink_mbps": "20",
            "version": ba_dinh.version,
        },
    )
    assert ok.status_code == 302
    ba_dinh.refresh_from_db()
    assert ba_dinh.room_name == "Phòng họp"
    assert ba_dinh.has_camera
