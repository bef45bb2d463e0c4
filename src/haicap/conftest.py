"""Fixtures shared by every app's tests."""

from __future__ import annotations

import io
from typing import Any

import pytest

from haicap.core.setup import run_setup_steps


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    """The test database with the real reference data, loaded once per run."""
    with django_db_blocker.unblock():
        run_setup_steps(io.StringIO(), progress=False)
