"""The OpenAPI document: unique component names, every error answer documented, and
datetimes that RFC 3339 readers accept (issue 11, finding 6)."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from typing import Any, cast

import pytest
from ninja import Schema

from haicap.api import api
from haicap.core.calendar import ZONE
from haicap.core.jsonenc import JSONEncoder


def _subclasses(cls: type) -> set[type]:
    found = set(cls.__subclasses__())
    return found.union(*(_subclasses(sub) for sub in found)) if found else found


def test_component_names_are_unique() -> None:
    """Ninja names a component after its class: two classes of one name become one schema."""
    names = Counter(s.__name__ for s in _subclasses(Schema) if s.__module__.startswith("haicap."))
    assert [name for name, count in names.items() if count > 1] == []


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return cast("dict[str, Any]", api.get_openapi_schema())


def _operations(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, operation)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
    ]


def test_every_operation_documents_its_error_answers(schema: dict[str, Any]) -> None:
    missing = []
    for method, path, operation in _operations(schema):
        expected = {"422"}
        if operation.get("security"):
            expected |= {"401", "403"}
        if "{" in path:
            expected.add("404")
        if method == "post":
            expected.add("409")
        if operation.get("x-rate-limited"):
            expected.add("429")
        lacking = expected - set(operation["responses"])
        if lacking:
            missing.append(f"{method.upper()} {path}: {sorted(lacking)}")
    assert missing == []
    assert schema["components"]["schemas"]["ErrorOut"]


def test_the_rate_limited_operations_say_so(schema: dict[str, Any]) -> None:
    limited = {
        (method, path) for method, path, op in _operations(schema) if "429" in op["responses"]
    }
    assert {
        ("get", "/api/v1/public/dossiers/{code}"),
        ("post", "/api/v1/public/dossiers/{code}/rating"),
        ("post", "/api/v1/public/dossiers/{code}/supplements"),
        ("post", "/api/v1/public/dossiers"),
        ("post", "/api/v1/dossiers"),
    } <= limited


def test_old_datetimes_keep_a_whole_minute_offset() -> None:
    old = dt.datetime(1900, 1, 1, 8, 0, tzinfo=ZONE)  # local mean time: +07:06:30
    assert old.utcoffset() != dt.timedelta(hours=7)
    written = json.loads(json.dumps({"at": old}, cls=JSONEncoder))["at"]
    assert written.endswith("+07:00")
    assert dt.datetime.fromisoformat(written) == old
    recent = dt.datetime(2026, 1, 1, 8, 0, tzinfo=ZONE)
    assert json.dumps(recent, cls=JSONEncoder) == '"2026-01-01T08:00:00+07:00"'
