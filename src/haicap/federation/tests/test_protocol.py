"""Dates, signatures and the clock window of the protocol (no database)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from haicap.core.calendar import ZONE
from haicap.federation.protocol import (
    ErrorCode,
    ProtocolError,
    check_signature,
    format_date,
    parse_date,
    signed_headers,
)

KEY = "a-key-for-the-tests"
moments = st.datetimes(
    min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2099, 12, 31), timezones=st.just(ZONE)
).map(lambda moment: moment.replace(microsecond=0))


@settings(deadline=None)
@given(moments)
def test_dates_round_trip_at_second_precision(moment: dt.datetime) -> None:
    text = format_date(moment)
    assert len(text) == 14
    assert text.isdigit()
    assert parse_date(text, "NgayTiepNhan") == moment


@settings(deadline=None)
@given(st.text(max_size=20).filter(lambda text: text != ""))
def test_anything_but_fourteen_digits_of_a_real_date_is_refused(text: str) -> None:
    outcome: ProtocolError | None = None
    try:
        parse_date(text, "NgayHenTra")
    except ProtocolError as error:
        outcome = error
    if outcome is None:
        assert len(text) == 14
    else:
        assert (outcome.code, outcome.field) == (ErrorCode.INVALID, "NgayHenTra")


@pytest.mark.parametrize(
    "text", ["20261301120000", "20260230120000", "19991231235959", "2026-12-01"]
)
def test_malformed_and_out_of_range_dates(text: str) -> None:
    with pytest.raises(ProtocolError) as caught:
        parse_date(text, "NgayTra")
    assert caught.value.code == ErrorCode.INVALID


def test_no_date_is_none() -> None:
    assert parse_date("", "NgayTra") is None
    assert parse_date(None, "NgayTra") is None
    assert format_date(None) == ""


def test_a_signed_body_checks_and_a_changed_one_does_not() -> None:
    now = dt.datetime.now(tz=ZONE)
    body = b'{"service":"LayDanhSachTTHC"}'
    headers = signed_headers(KEY, body, now=now)
    nonce, _sent = check_signature(KEY, headers, body, now=now, skew=300)
    assert nonce == headers["X-Haicap-Nonce"]
    for bad_key, bad_body in ((KEY, body + b" "), ("another-key", body)):
        with pytest.raises(ProtocolError) as caught:
            check_signature(bad_key, headers, bad_body, now=now, skew=300)
        assert caught.value.code == ErrorCode.BAD_SIGNATURE


def test_a_request_outside_the_clock_window_is_refused() -> None:
    then = dt.datetime.now(tz=ZONE) - dt.timedelta(minutes=10)
    body = b"{}"
    headers = signed_headers(KEY, body, now=then)
    with pytest.raises(ProtocolError) as caught:
        check_signature(KEY, headers, body, now=dt.datetime.now(tz=ZONE), skew=300)
    assert caught.value.code == ErrorCode.REPLAY


def test_missing_headers_are_a_bad_signature() -> None:
    with pytest.raises(ProtocolError) as caught:
        check_signature(KEY, {}, b"{}", now=dt.datetime.now(tz=ZONE), skew=300)
    assert caught.value.code == ErrorCode.BAD_SIGNATURE
