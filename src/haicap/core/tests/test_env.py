"""Settings helpers fail loudly on bad values; DATABASE_URL parsing."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from haicap.core.dburl import database_settings
from haicap.core.env import env_bool, env_choice, env_int, env_list, env_str


def test_env_bool(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("X_FLAG", "yes")
    assert env_bool("X_FLAG", False) is True
    monkeypatch.setenv("X_FLAG", "0")
    assert env_bool("X_FLAG", True) is False
    monkeypatch.setenv("X_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="X_FLAG"):
        env_bool("X_FLAG", False)


def test_env_int(monkeypatch: pytest.MonkeyPatch) -> None:
    assert env_int("X_NUMBER_UNSET", 4) == 4
    monkeypatch.setenv("X_NUMBER", "seven")
    with pytest.raises(ImproperlyConfigured, match="not an integer"):
        env_int("X_NUMBER", 1)
    monkeypatch.setenv("X_NUMBER", "-1")
    with pytest.raises(ImproperlyConfigured, match="minimum"):
        env_int("X_NUMBER", 1, minimum=0)


def test_env_list_and_choice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("X_LIST", "a, b,,c")
    assert env_list("X_LIST", []) == ["a", "b", "c"]
    monkeypatch.setenv("X_CHOICE", "LOUD")
    with pytest.raises(ImproperlyConfigured, match="must be one of"):
        env_choice("X_CHOICE", "INFO", ("INFO", "DEBUG"))


def test_secret_from_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    secret = tmp_path / "secret"
    secret.write_text("s3cret\n")
    monkeypatch.setenv("X_SECRET_FILE", str(secret))
    assert env_str("X_SECRET", "") == "s3cret"
    monkeypatch.setenv("X_SECRET_FILE", str(tmp_path / "missing"))
    with pytest.raises(ImproperlyConfigured, match="cannot be read"):
        env_str("X_SECRET", "")


def test_database_url_tcp_and_socket() -> None:
    tcp = database_settings(
        "postgresql://u:p%40ss@db.example:6432/haicap?sslmode=require", pool_size=0
    )
    assert (tcp["HOST"], tcp["PORT"], tcp["NAME"], tcp["PASSWORD"]) == (
        "db.example",
        "6432",
        "haicap",
        "p@ss",
    )
    # A short connect_timeout and health checks: an outage answers 503 fast (test_outage.py).
    assert tcp["OPTIONS"] == {"sslmode": "require", "connect_timeout": "2"}
    assert tcp["CONN_HEALTH_CHECKS"] is True
    socket = database_settings("postgresql://postgres:@/haicap?host=/var/run/pg", pool_size=4)
    assert socket["HOST"] == "/var/run/pg"
    assert socket["OPTIONS"]["pool"]["max_size"] == 4
    assert socket["OPTIONS"]["pool"]["timeout"] < 2
    assert socket["CONN_HEALTH_CHECKS"] is True
    assert socket["CONN_MAX_AGE"] == 0


@pytest.mark.parametrize(
    "url", ["mysql://u@h/db", "postgresql://u@h", "postgresql://u@h:notaport/db"]
)
def test_database_url_refused(url: str) -> None:
    with pytest.raises(ImproperlyConfigured):
        database_settings(url, pool_size=0)
