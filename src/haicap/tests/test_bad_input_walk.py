"""Every URL pattern, walked with NUL characters and extreme dates: never a 5xx
(issue 11, finding 6). The national administrator (who reaches every page) and an anonymous
visitor each try every route; NUL answers 422 on the API and 400 on pages.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from haicap.dossiers.models import Dossier

pytestmark = pytest.mark.django_db
NUL = "a\x00b"
EXTREME_DATES = ["0001-01-01", "9999-12-31", "01/01/0001", "31/12/9999"]
# Query names the pages and the API read dates, years and searches from.
DATE_NAMES = ("start", "to", "from", "on", "day", "date", "since", "until", "at", "due")
EXTREME_YEARS = ("0", "1", "9999", "99999")


def _routes(patterns: list[Any], prefix: str = "") -> Iterator[str]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def _fill(route: str, code: str, *, value: str | None = None) -> str:
    """A path for ``route``: each parameter a plausible value (or ``value``)."""
    samples = {
        "code": code,
        "name": "receipt",
        "action": "accept",
        "token": "abc",
        "fmt": "csv",
        "direction": "in",
        "agency_code": "000.00.00.H01",
        "year": "2026",
        "message_id": "1",
        "uidb64": "MQ",
    }

    def one(match: re.Match[str]) -> str:
        converter, name = match.group(1) or "str", match.group(2)
        if value is not None and converter == "str":
            return value
        if converter == "int" or name.endswith("_id") or name == "pk":
            return samples.get(name, "1")
        return samples.get(name, "x")

    path = re.sub(r"<(?:(\w+):)?(\w+)>", one, route)
    path = path.lstrip("^").rstrip("$")
    return "/" + path if not path.startswith("/") else path


def _paths(code: str) -> list[str]:
    routes = [r for r in _routes(get_resolver().url_patterns) if "admin/" not in r]
    return sorted({_fill(r, code) for r in routes if not r.startswith("en/")})


@pytest.fixture
def dossier(make_dossier: Callable[..., Dossier]) -> Dossier:
    return make_dossier()


def _check(response: Any, what: str, failures: list[str]) -> None:
    if response.status_code >= 500:
        failures.append(f"{response.status_code} {what}")


@pytest.mark.parametrize("persona", ["national_admin", "anonymous"])
def test_nul_bytes_on_every_route(
    client: Client, dossier: Dossier, persona: str, request: pytest.FixtureRequest
) -> None:
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    failures: list[str] = []
    for path in _paths(dossier.code):
        api = path.startswith("/api/")
        # The hub's protocol answers in its own shape: error_code 1 with HTTP 400.
        expected = 422 if api and not path.startswith("/api/v1/federation/") else 400
        got = client.get(path, {"q": NUL, "code": NUL, "secret": NUL})
        _check(got, f"GET {path}?q=NUL", failures)
        if got.status_code != expected:
            failures.append(f"{got.status_code} (not {expected}) GET {path}?q=NUL")
        if api:
            posted = client.post(path, {"name": NUL}, content_type="application/json")
        else:
            posted = client.post(path, {"name": NUL, "note": NUL, "reason": NUL})
        _check(posted, f"POST {path} NUL", failures)
        if posted.status_code not in {expected, 405}:
            failures.append(f"{posted.status_code} (not {expected}) POST {path} NUL")
    for route in _routes(get_resolver().url_patterns):
        if "<" in route and "admin/" not in route and not route.startswith("en/"):
            path = _fill(route, dossier.code, value=NUL)
            _check(client.get(path), f"GET {path!r}", failures)
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("persona", ["national_admin", "anonymous"])
def test_extreme_dates_on_every_route(
    client: Client, dossier: Dossier, persona: str, request: pytest.FixtureRequest
) -> None:
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    failures: list[str] = []
    for path in _paths(dossier.code):
        for date in EXTREME_DATES:
            query = dict.fromkeys(DATE_NAMES, date)
            _check(client.get(path, query), f"GET {path} dates={date}", failures)
            if path.startswith("/api/"):
                body = {"new_due_at": f"{date}T10:00:00+07:00", "birth_date": date}
                posted = client.post(path, body, content_type="application/json")
            else:
                posted = client.post(path, {**query, "new_due_at": date, "effective_date": date})
            _check(posted, f"POST {path} dates={date}", failures)
        for year in EXTREME_YEARS:
            _check(client.get(path, {"year": year}), f"GET {path}?year={year}", failures)
    for route in _routes(get_resolver().url_patterns):
        if "<int:year>" in route or "<year>" in route:
            for year in EXTREME_YEARS:
                path = _fill(route, dossier.code).replace("/2026", f"/{year}")
                _check(client.get(path), f"GET {path}", failures)
    assert not failures, "\n".join(failures)


def test_an_apology_far_in_the_future_is_refused(
    client: Client, bob: User, alice: User, make_dossier: Any
) -> None:
    """The probe's 9999-12-31 apology: refused with a message, the page still opens."""
    dossier = make_dossier(alice)
    client.force_login(bob)
    for when in ("9999-12-31T10:00", "2030-01-02T10:00"):
        response = client.post(
            f"/staff/dossiers/{dossier.code}/act/apologise/",
            {"version": dossier.version, "reason": "Cần xác minh", "new_due_at": when},
            follow=True,
        )
        assert response.status_code in {200, 400}
    dossier.refresh_from_db()
    assert dossier.apologies == 0
    assert client.get(f"/staff/dossiers/{dossier.code}/").status_code == 200
