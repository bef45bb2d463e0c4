"""Page-number pagination shared by the API and the pages: one COUNT, one slice."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.db.models import Model, QuerySet

M = TypeVar("M", bound=Model)

MAX_PAGE_SIZE = 200


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


def paginate(queryset: QuerySet[M], number: int, size: int) -> Page[M]:
    number = max(1, number)
    size = min(max(1, size), MAX_PAGE_SIZE)
    count = queryset.count()
    start = (number - 1) * size
    items = list(queryset[start : start + size]) if start < count else []
    return Page(items=items, count=count, number=number, size=size)
