"""Styled error pages in Vietnamese (English under /en/), a way back, nothing technical."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

pytestmark = [pytest.mark.django_db, pytest.mark.urls("haicap.portal.tests.error_urls")]

CASES = [
    ("/-test/400/", 400, "Yêu cầu không hợp lệ", "Bad request"),
    ("/-test/403/", 403, "Không có quyền truy cập", "Access denied"),
    ("/khong-co-trang-nay/", 404, "Không tìm thấy trang", "Page not found"),
    ("/-test/500/", 500, "Đã có lỗi xảy ra", "Something went wrong"),
]


@pytest.mark.parametrize(("path", "status", "vietnamese", "english"), CASES)
def test_error_pages(path: str, status: int, vietnamese: str, english: str) -> None:
    client = Client(raise_request_exception=False)
    page = client.get(path)
    assert page.status_code == status
    text = page.content.decode()
    assert vietnamese in text
    assert 'lang="vi"' in text
    assert 'href="/"' in text  # the way back
    for technical in ("Traceback", "internal reason", "settings.py", "RuntimeError", "Django"):
        assert technical not in text
    english_page = client.get(f"/en{path}")
    assert english_page.status_code == status
    assert english in english_page.content.decode()
    assert 'href="/en/"' in english_page.content.decode()


def test_a_refused_form_token_gets_the_styled_403(settings: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    page = client.post("/lookup/", {"code": "x"})
    assert page.status_code == 403
    assert "Không có quyền truy cập" in page.content.decode()
    assert "CSRF" not in page.content.decode()


def test_the_api_keeps_its_json_404() -> None:
    answer = Client().get("/api/v1/nothing-here")
    assert answer.status_code == 404
    assert answer.json()["error"]["code"]
