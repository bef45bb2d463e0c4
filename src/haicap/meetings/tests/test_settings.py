"""The Janus settings fail loudly on an address that cannot be Janus's."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


@pytest.mark.parametrize(
    ("name", "value"),
    [("HAICAP_JANUS_URL", "ws://127.0.0.1:8188"), ("HAICAP_JANUS_PUBLIC_URL", "janus.example.vn")],
)
def test_a_janus_address_without_a_usable_scheme_stops_start_up(name: str, value: str) -> None:
    loaded = subprocess.run(
        [sys.executable, "-c", "import haicap.settings"],
        env={**os.environ, name: value, "DATABASE_URL": "postgresql://x@localhost/x"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert loaded.returncode != 0
    assert f"ImproperlyConfigured: {name}=" in loaded.stderr
