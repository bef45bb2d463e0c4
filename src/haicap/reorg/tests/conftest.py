"""Dossiers received before the reform, at the old units, as the import brings them in."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from haicap.core.actors import SYSTEM
from haicap.dossiers.actions.imports import do_import_dossiers
from haicap.dossiers.models import Dossier
from haicap.reorg.models import ReorgPlan
from haicap.reorg.plans import plan_2025

MARITAL = "HCP.HT.004"


@pytest.fixture
def old_dossier(db: Any) -> Callable[..., Dossier]:
    counter = iter(range(1, 10_000))

    def make(unit: str, *, status: int = 4, procedure: str = MARITAL, **extra: str) -> Dossier:
        code = f"H01.OLD-250610-{next(counter):04d}"
        row = {
            "MaHoSo": code,
            "MaTTHC": procedure,
            "MaDonVi": unit,
            "NgayTiepNhan": "20250610090000",
            "NgayHenTra": "20250613170000",
            "TrangThaiHoSo": str(status),
            "ChuHoSo": "Lê Văn Cũ",
            "SoDienThoaiChuHoSo": "0912000999",
            **extra,
        }
        report = do_import_dossiers([(1, row)], actor=SYSTEM)
        assert not report.refused, report.refused
        return Dossier.objects.get(code=code)

    return make


@pytest.fixture(autouse=True)
def _one_worker(settings: Any) -> None:
    """Batches on other connections would not see a test's uncommitted dossiers."""
    settings.REORG_WORKERS = 1


@pytest.fixture
def plan(db: Any) -> ReorgPlan:
    return plan_2025()
