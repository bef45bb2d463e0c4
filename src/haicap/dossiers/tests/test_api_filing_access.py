"""Who may file through the staff API, on every channel (issue 11, finding 2).

alice (receiver at Ba Đình) may file at Ba Đình on channels 1, 2 and 3; carol (another
commune), erin (another province) and frank (an auditor at Ba Đình) may file nowhere there;
a procedure that is not online cannot be filed on channel 2; filings are rate-limited.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from haicap.dossiers.models import Dossier
from haicap.dossiers.tests.test_api import BODY, bearer, post

pytestmark = pytest.mark.django_db
NOT_ONLINE = "HCP.CT.002"  # chứng thực chữ ký: at the counter only


@pytest.mark.parametrize("channel", [1, 2, 3])
def test_the_unit_check_holds_on_every_channel(
    client: Client, alice: User, carol: User, erin: User, frank: User, channel: int
) -> None:
    body = {**BODY, "channel": channel}
    for officer in (carol, erin, frank):
        response = post(client, "/api/v1/dossiers", body, bearer(officer))
        assert response.status_code == 403, (officer.username, response.content)
    assert not Dossier.objects.exists()
    allowed = post(client, "/api/v1/dossiers", body, bearer(alice))
    assert allowed.status_code == 201, allowed.content
    assert Dossier.objects.get().channel == channel


def test_a_counter_only_procedure_is_not_filed_online(client: Client, alice: User) -> None:
    body = {**BODY, "procedure": NOT_ONLINE, "channel": 2}
    response = post(client, "/api/v1/dossiers", body, bearer(alice))
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "procedure"
    assert not Dossier.objects.exists()
    at_counter = post(client, "/api/v1/dossiers", {**body, "channel": 1}, bearer(alice))
    assert at_counter.status_code == 201


def test_filings_are_rate_limited_per_officer(
    client: Client, alice: User, bob: User, settings: Any
) -> None:
    settings.RATE_LIMIT_STAFF_FILING = "2/h"
    headers = bearer(alice)
    answers = [post(client, "/api/v1/dossiers", BODY, headers).status_code for _ in range(3)]
    assert answers == [201, 201, 429]
    limited = post(client, "/api/v1/dossiers", BODY, headers)
    assert limited["Retry-After"]
    assert Dossier.objects.count() == 2
    # Another officer has a count of their own.
    assert post(client, "/api/v1/dossiers", BODY, bearer(bob)).status_code != 429
