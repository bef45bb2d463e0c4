"""Query counts pinned in tests (after Zulip's assert_database_query_count)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection
from django.test.utils import CaptureQueriesContext


@contextmanager
def assert_query_count(expected: int) -> Iterator[CaptureQueriesContext]:
    """The block runs exactly ``expected`` queries; on failure the queries are listed."""
    with CaptureQueriesContext(connection) as captured:
        yield captured
    if len(captured) != expected:
        listed = "\n".join(f"{n}. {q['sql'][:300]}" for n, q in enumerate(captured, 1))
        raise AssertionError(f"{len(captured)} queries, expected {expected}:\n{listed}")


def query_count(run: object) -> int:
    """How many queries ``run()`` makes."""
    assert callable(run)
    with CaptureQueriesContext(connection) as captured:
        run()
    return len(captured)
