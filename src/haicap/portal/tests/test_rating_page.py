"""The rating form says what is wrong: no rating chosen, or a comment too long."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from haicap.conftest import BIRTH
from haicap.dossiers.models import Dossier, Rating

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("data", "said"),
    [
        ({"comment": "Tốt"}, "Cần chọn mức đánh giá."),
        ({"score": "3", "comment": "x" * 2001}, "2000"),
    ],
)
def test_a_bad_rating_says_why_and_stores_nothing(
    client: Client, citizen: User, data: dict[str, str], said: str
) -> None:
    dossier = Dossier.objects.get(applicant_user=citizen, procedure__code=BIRTH)
    client.force_login(citizen)
    page = client.post(f"/lookup/{dossier.code}/rating/", data, follow=True)
    assert page.status_code == 200
    assert said in page.content.decode()
    assert not Rating.objects.filter(dossier=dossier).exists()
