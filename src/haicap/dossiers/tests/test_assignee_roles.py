"""A dossier goes only to an officer who works on it: never to an auditor, who only reads."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User

from haicap.core.errors import Invalid
from haicap.dossiers import actions
from haicap.dossiers.models import Dossier, Status

pytestmark = pytest.mark.django_db


def test_a_dossier_cannot_be_assigned_to_an_auditor(
    make_dossier: Callable[..., Dossier], bob: User, frank: User, erin: User, national_admin: User
) -> None:
    dossier = make_dossier()
    # The auditor of the commune; an officer elsewhere; the technical superuser, who reaches
    # every dossier but holds no role in this commune.
    for outsider in (frank, erin, national_admin):
        with pytest.raises(Invalid) as refused:
            actions.do_assign_dossier(dossier, assignee=outsider, actor=bob)
        assert refused.value.field == "assignee"
    dossier.refresh_from_db()
    assert dossier.assignee_id is None
    assigned = actions.do_assign_dossier(dossier, assignee=bob, actor=bob)
    assert assigned.status == Status.PROCESSING
    with pytest.raises(Invalid):
        actions.do_forward_dossier(assigned, assignee=frank, actor=bob)
