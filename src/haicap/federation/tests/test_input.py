"""Input the hub refuses with a protocol error and never a 500: digits of other scripts,
booleans for numbers, escapes text cannot hold (a lone surrogate, an escaped NUL)."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from django.test.utils import override_settings

from haicap.federation.hub import _body
from haicap.federation.protocol import ErrorCode, ProtocolError, parse_date
from haicap.federation.reconcile import parse_day
from haicap.federation.services import _number

STATUSES = range(1, 11)


@pytest.mark.parametrize("value", ["²", "٤", "４", True, 4.0, "4 ", "", None])
def test_a_status_is_an_ascii_whole_number(value: object) -> None:
    with pytest.raises(ProtocolError) as refused:
        _number({"TrangThaiHoSo": value}, "TrangThaiHoSo", STATUSES, 2)
    assert (refused.value.code, refused.value.field, refused.value.index) == (
        ErrorCode.INVALID,
        "TrangThaiHoSo",
        2,
    )


def test_a_status_as_digits_or_a_number_passes() -> None:
    assert _number({"TrangThaiHoSo": "4"}, "TrangThaiHoSo", STATUSES, 0) == 4
    assert _number({"TrangThaiHoSo": 10}, "TrangThaiHoSo", STATUSES, 0) == 10


@pytest.mark.parametrize("text", ["٢٠٢٦١٢٠١١٢٠٠٠٠", "２０２６１２０１１２００００"])
def test_dates_in_other_scripts_digits_are_refused(text: str) -> None:
    with pytest.raises(ProtocolError):
        parse_date(text, "NgayTiepNhan")
    with pytest.raises(ProtocolError):
        parse_day(text[:8])


@pytest.mark.parametrize(
    "body",
    [
        b'{"session": "x", "ChuHoSo": "\\ud800"}',
        b'{"session": "\\udfff"}',
        b'{"data": [{"TaiLieuNop": ["a\\u0000b"]}]}',
    ],
)
def test_escapes_text_cannot_hold_are_malformed(body: bytes) -> None:
    request = RequestFactory().post(
        "/api/v1/federation/integration", data=body, content_type="application/json"
    )
    with pytest.raises(ProtocolError) as refused:
        _body(request)
    assert refused.value.code == ErrorCode.MALFORMED


def test_ordinary_text_passes() -> None:
    request = RequestFactory().post(
        "/api/v1/federation/integration",
        data='{"ChuHoSo": "Nguyễn Văn An 😀"}'.encode(),
        content_type="application/json",
    )
    assert _body(request)[1] == {"ChuHoSo": "Nguyễn Văn An 😀"}


@pytest.mark.django_db
@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
@pytest.mark.parametrize(
    "body", [b'{"session": "' + b"x" * 2000 + b'"}', b'{"session": "a\\u0000b"}']
)
def test_the_input_guard_answers_in_the_protocols_shape(client: Client, body: bytes) -> None:
    """A body too large or an escaped NUL, refused before the hub's view: still the
    protocol's error, which the province reads as the batch's fault, not a dead hub."""
    answer = client.post(
        "/api/v1/federation/integration", data=body, content_type="application/json"
    )
    assert answer.status_code == 400
    assert answer.json()["error_code"] == ErrorCode.MALFORMED
