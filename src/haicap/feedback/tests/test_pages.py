"""Pages: who sees a report (another commune's officer gets 404), the console, the queue,
figures with their export, the public list and the citizen's tracking."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client
from PIL import Image

from haicap.conftest import PASSWORD
from haicap.feedback import photos
from haicap.feedback.models import Report

pytestmark = pytest.mark.django_db


def signed_in(user: User) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_who_sees_a_report_that_is_not_public(
    file_report: Callable[..., Report], alice: User, carol: User, dave: User, erin: User
) -> None:
    report = file_report(public=False)
    url = f"/staff/feedback/r/{report.code}/"
    assert signed_in(alice).get(url).status_code == 200
    assert signed_in(dave).get(url).status_code == 200
    assert signed_in(carol).get(url).status_code == 404
    assert signed_in(erin).get(url).status_code == 404
    assert Client().get(url).status_code == 302
    assert Client().get(f"/feedback/r/{report.code}/").status_code == 404


def test_the_staff_page_masks_the_phone(file_report: Callable[..., Report], alice: User) -> None:
    report = file_report()
    page = signed_in(alice).get(f"/staff/feedback/r/{report.code}/").content.decode()
    assert "0912345678" not in page
    assert "09******78" in page


def test_a_public_report_and_its_answer_without_personal_data(
    file_report: Callable[..., Report], alice: User
) -> None:
    from haicap.feedback.actions import do_answer_report

    report = file_report(public=True)
    do_answer_report(report, answer="Đã thu gom rác", actor=alice)
    listed = Client().get("/feedback/").content.decode()
    assert report.code in listed
    assert "Đã thu gom rác" in listed
    page = Client().get(f"/feedback/r/{report.code}/").content.decode()
    for secret in ("Nguyễn Văn An", "0912345678", "an@example.vn", report.secret):
        assert secret not in page


def test_the_console_files_a_call_and_finds_earlier_reports(
    file_report: Callable[..., Report], alice: User
) -> None:
    file_report()
    client = signed_in(alice)
    assert client.get("/staff/feedback/console/").status_code == 200
    earlier = client.get("/staff/feedback/console/earlier/?phone=0912345678").content.decode()
    assert "09******78" in earlier
    response = client.post(
        "/staff/feedback/console/",
        {
            "callback_phone": "0912345678",
            "call_at": "2026-12-01T08:30",
            "category": "giao-thong",
            "address": "Phường Trúc Bạch, Quận Ba Đình, Hà Nội",
            "description": "Đèn đường hỏng ở phố Quán Thánh",
            "client_key": "k1",
        },
    )
    assert response.status_code == 302
    assert Report.objects.filter(channel="hotline").count() == 1
    bad = client.post("/staff/feedback/console/", {"category": "giao-thong"})
    assert bad.status_code == 200
    assert Report.objects.count() == 2


def test_steps_from_the_report_page(file_report: Callable[..., Report], alice: User) -> None:
    report = file_report()
    client = signed_in(alice)
    base = f"/staff/feedback/r/{report.code}"
    assert client.post(f"{base}/start/").status_code == 302
    client.post(f"{base}/answer/", {"note": "Đã xử lý"})
    report.refresh_from_db()
    assert report.status == "in_progress"  # not confirmed: nothing done
    client.post(f"{base}/answer/", {"note": "Đã xử lý", "confirm": "yes"})
    report.refresh_from_db()
    assert report.status == "answered"


def test_queue_figures_and_exports(file_report: Callable[..., Report], alice: User) -> None:
    file_report()
    client = signed_in(alice)
    assert client.get("/staff/feedback/?tab=overdue").status_code == 200
    assert "moi-truong" not in client.get("/staff/feedback/").content.decode()
    csv = client.get("/staff/feedback/?format=csv")
    assert csv["Content-Type"].startswith("text/csv")
    assert client.get("/staff/feedback/figures/").status_code == 200
    assert client.get("/staff/feedback/figures/?format=xlsx").status_code == 200
    assert client.get("/staff/feedback/figures/?from=9999-01-01").status_code == 400
    assert client.get("/staff/feedback/figures/?from=2026-13-45").status_code == 400


def test_the_citizen_follows_reopens_and_rates(
    file_report: Callable[..., Report], alice: User
) -> None:
    from haicap.feedback.actions import do_answer_report

    report = do_answer_report(file_report(), answer="Xong", actor=alice)
    client = Client()
    page = client.post("/feedback/track/", {"code": report.code, "secret": report.secret})
    assert "Xong" in page.content.decode()
    assert client.post("/feedback/track/", {"code": report.code, "secret": "X"}).status_code == 404
    client.post(
        f"/feedback/track/{report.code}/rate/", {"secret": report.secret, "rating": "satisfied"}
    )
    report.refresh_from_db()
    assert report.rating == "satisfied"


def test_the_portal_page_files_a_report(client: Client) -> None:
    assert client.get("/feedback/new/").status_code == 200
    response = client.post(
        "/feedback/new/",
        {
            "category": "moi-truong",
            "address": "Phường Hàng Trống, Quận Hoàn Kiếm, Hà Nội",
            "description": "Rác",
            "client_key": "p1",
        },
    )
    assert response.status_code == 200
    report = Report.objects.get()
    assert report.code in response.content.decode()
    assert report.unit.code == "00070"


def _jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (40, 30), (200, 10, 10))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "N", 2: (21.0, 2.0, 18.0), 3: "E", 4: (105.0, 50.0, 16.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_exif_and_gps_are_stripped() -> None:
    raw = _jpeg_with_gps()
    with Image.open(io.BytesIO(raw)) as before:
        assert before.getexif().get_ifd(0x8825)
    clean = photos.clean(raw)
    with Image.open(io.BytesIO(clean.data)) as after:
        assert not after.getexif()
        assert "exif" not in after.info
        assert after.size == (40, 30)
    assert b"PhoneMaker" not in clean.data


def test_photos_are_checked_by_content() -> None:
    from haicap.core.errors import Invalid

    with pytest.raises(Invalid):
        photos.clean(b"GIF89a not really")
    gif = io.BytesIO()
    Image.new("RGB", (5, 5)).save(gif, "GIF")
    with pytest.raises(Invalid):
        photos.clean(gif.getvalue())


def test_a_province_changes_its_categories(alice: User, dave: User) -> None:
    from haicap.core.models import AuditEvent
    from haicap.feedback import categories
    from haicap.units.queries import unit_by_code

    assert signed_in(alice).get("/staff/feedback/categories/").status_code == 404
    client = signed_in(dave)
    assert client.get("/staff/feedback/categories/").status_code == 200
    response = client.post(
        "/staff/feedback/categories/",
        {
            "code": "moi-truong",
            "name": "Môi trường (Hà Nội)",
            "handler_tier": "commune",
            "agency_kind": "environment",
            "reply_days": "10",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    hanoi = unit_by_code("01")
    own = categories.category("moi-truong", hanoi)
    assert (own.province_id, own.reply_days) == (hanoi.pk, 10)
    assert categories.category("moi-truong", None).reply_days == 15
    assert AuditEvent.objects.filter(verb="feedback.category_save", actor_id=dave.pk).exists()
    bad = client.post("/staff/feedback/categories/", {"code": "x", "reply_days": "900"})
    assert bad.status_code == 400
