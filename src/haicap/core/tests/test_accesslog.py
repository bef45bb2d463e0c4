"""The access log: tokens masked, and no client can forge a line with the path it asks for."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

from gunicorn.config import Config

from haicap.core.accesslog import MaskingAccessLogger


def _atoms(path: str) -> Any:
    logger = MaskingAccessLogger(Config())
    request = SimpleNamespace(
        method="GET", path=path, query="", uri=path, version=(1, 1), headers=[]
    )
    response = SimpleNamespace(status="404 Not Found", sent=0, headers=[], response_length=0)
    environ = {
        "REMOTE_ADDR": "127.0.0.1",
        "RAW_URI": path,
        "REQUEST_METHOD": "GET",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "PATH_INFO": path,
        "QUERY_STRING": "",
    }
    return logger.atoms(response, request, environ, dt.timedelta(seconds=0.01))


def test_a_newline_or_nul_in_the_path_cannot_forge_a_line() -> None:
    forged = '/api/v1/units/x\n127.0.0.1 - - [01/Dec/2026] "POST /admin/login/" 200\x00'
    atoms = _atoms(forged)
    for atom in ("U", "r"):
        assert "\n" not in atoms[atom]
        assert "\x00" not in atoms[atom]
    assert "\\x0a127.0.0.1" in atoms["U"]
