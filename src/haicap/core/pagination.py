"""Page-number pagination shared by the API and the pages: one COUNT, one slice (of a query,
or of a list already in memory)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypedDict, TypeVar, overload

from django.db.models import Model, QuerySet
from django.http import HttpRequest

M = TypeVar("M")
MT = TypeVar("MT", bound=Model)

MAX_PAGE_SIZE = 200


class PageFields(TypedDict):
    """What every paginated answer says beside its items."""

    count: int
    page: int
    pages: int
    page_size: int


@dataclass
class Page(Generic[M]):
    items: list[M]
    count: int
    number: int
    size: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.count / self.size))

    @property
    def has_next(self) -> bool:
        return self.number < self.pages

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    def fields(self) -> PageFields:
        """The answer's page fields: ``SomePage(**page.fields(), items=[...])``."""
        return {
            "count": self.count,
            "page": self.number,
            "pages": self.pages,
            "page_size": self.size,
        }


@overload
def paginate(
    found: QuerySet[MT], number: int, size: int, *, count: int | None = None
) -> Page[MT]: ...
@overload
def paginate(
    found: Sequence[M], number: int, size: int, *, count: int | None = None
) -> Page[M]: ...


def paginate(
    found: QuerySet[Any] | Sequence[Any], number: int, size: int, *, count: int | None = None
) -> Page[Any]:
    """The ``number``-th page of ``size`` items of a query (one COUNT, one slice) or a list.

    ``count``: the caller already knows how many there are (the COUNT is then skipped)."""
    number = max(1, number)
    size = min(max(1, size), MAX_PAGE_SIZE)
    if count is None:
        count = found.count() if isinstance(found, QuerySet) else len(found)
    start = (number - 1) * size
    items = list(found[start : start + size]) if start < count else []
    return Page(items=items, count=count, number=number, size=size)


def page_number(request: HttpRequest) -> int:
    """The ``page`` asked for in the query string; 1 when absent or not a number."""
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1
