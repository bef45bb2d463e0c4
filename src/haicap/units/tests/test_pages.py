"""The public unit browser, in Vietnamese first."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_index_lists_the_34_provinces(client: Client) -> None:
    response = client.get("/units/")
    assert response.status_code == 200
    assert len(response.context["provinces"]) == 34
    assert response["Content-Language"] == "vi"
    assert "Đơn vị hành chính" in response.content.decode()


def test_index_before_the_reform_lists_63_provinces(client: Client) -> None:
    response = client.get("/units/?on=2025-06-30")
    assert len(response.context["provinces"]) == 63


def test_search_page_and_htmx_fragment(client: Client) -> None:
    page = client.get("/units/", {"q": "hoan kiem"})
    assert "Phường Hoàn Kiếm" in page.content.decode()
    fragment = client.get("/units/", {"q": "hoan kiem"}, headers={"HX-Request": "true"})
    assert "<html" not in fragment.content.decode()
    assert "Phường Hoàn Kiếm" in fragment.content.decode()


def test_an_old_unit_says_what_it_became(client: Client) -> None:
    body = client.get("/units/00004/?on=2025-06-30").content.decode()
    assert "Phường Trúc Bạch" in body
    assert "Phường Ba Đình" in body
    assert "/units/00004/?on=2025-07-01" in body


def test_a_new_unit_shows_what_it_was_formed_from(client: Client) -> None:
    body = client.get("/units/00004/").content.decode()
    assert "Phường Trúc Bạch" in body
    assert "Nghị quyết" in body  # the legal basis


def test_province_page_lists_its_communes(client: Client) -> None:
    response = client.get("/units/22/")
    assert response.context["children"].count == 54


def test_english_under_en(client: Client) -> None:
    response = client.get("/en/units/")
    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    assert "Administrative units" in response.content.decode()


def test_unknown_unit_is_404(client: Client) -> None:
    assert client.get("/units/99999/").status_code == 404
