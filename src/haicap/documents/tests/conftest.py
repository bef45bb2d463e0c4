"""Document personas: bob is leader and clerk of Phường Ba Đình's People's Committee, alice
its specialist; carol is made clerk at Phường Hoàn Kiếm (another agency); the local CA lives
in a temporary data directory."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User

from haicap.conftest import BA_DINH, HOAN_KIEM
from haicap.core.actors import SYSTEM
from haicap.core.pki import init_ca
from haicap.documents.agencies import ensure_agency
from haicap.documents.models import Agency, AgencyKind
from haicap.staff.actions import do_add_staff_member
from haicap.units.queries import unit_by_code


@pytest.fixture
def ba_dinh(db: Any) -> Agency:
    return ensure_agency(unit_by_code(BA_DINH), AgencyKind.PEOPLES_COMMITTEE)


@pytest.fixture
def hoan_kiem(db: Any) -> Agency:
    return ensure_agency(unit_by_code(HOAN_KIEM), AgencyKind.PEOPLES_COMMITTEE)


@pytest.fixture
def carol_clerk(carol: User, hoan_kiem: Agency) -> User:
    do_add_staff_member("carol", unit_code=HOAN_KIEM, roles=["clerk", "leader"], actor=SYSTEM)
    return User.objects.get(username="carol")


@pytest.fixture
def local_ca(settings: Any, tmp_path: Path) -> Path:
    settings.DATA_DIR = tmp_path
    settings.SIGNING_TRUST_ROOTS = None
    init_ca(organisation="Thành phố Hà Nội", directory=tmp_path / "ca")
    return tmp_path / "ca"
