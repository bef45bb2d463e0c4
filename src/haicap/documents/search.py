"""Full-text search over documents without diacritics, in PostgreSQL.

Stored and asked text pass through the same normalisation (``core.text.search_key``, then
every run of characters other than letters and digits becomes a space), so "quyet dinh"
finds "Quyết định" and "5/QĐ-UBND" finds "05/QĐ-UBND". The text is kept as a stored
``simple`` tsvector (``Document.search_vector``, GIN); every word asked must be there, the
last one as a word or the start of one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.contrib.postgres.search import SearchQuery
from django.db.models import Count, QuerySet, Window

from haicap.core.pagination import MAX_PAGE_SIZE, Page
from haicap.core.text import search_key
from haicap.documents.models import Document

_NOT_WORD = re.compile(r"[^a-z0-9]+")
MAX_TERMS = 12
MAX_TERM = 40


def words(text: str) -> list[str]:
    return [word for word in _NOT_WORD.split(search_key(text)) if word]


def search_text(document: Document, texts: Iterable[str] = ()) -> str:
    """What a document is found by: subject, numbers, sender, and the text of its files."""
    parts = [
        document.subject,
        document.number_text,
        document.notation,
        document.sender_name,
        document.sender_code,
        document.recipients_text,
        str(document.number or ""),
        str(document.arrival_number or ""),
        *texts,
    ]
    return " ".join(words(" ".join(part for part in parts if part)))


def query_for(text: str) -> str | None:
    """A tsquery for the words of ``text``, the last one a prefix (as it is being typed);
    None when it has none. Whole words are exact lookups in the index, much cheaper than
    prefixes over a million documents."""
    terms = [word[:MAX_TERM] for word in words(text.replace("\x00", ""))][:MAX_TERMS]
    if not terms:
        return None
    return " & ".join([*terms[:-1], f"{terms[-1]}:*"])


def search(found: QuerySet[Document], text: str) -> QuerySet[Document]:
    query = query_for(text)
    if query is None:
        return found
    return found.filter(search_vector=SearchQuery(query, search_type="raw", config="simple"))


def paginated(found: QuerySet[Document], number: int, size: int) -> Page[Document]:
    """One page of a list and its count in one query (``count(*) OVER ()``): a search over
    a million documents then finds its matches once, not once for the count and again for
    the page."""
    number, size = max(1, number), min(max(1, size), MAX_PAGE_SIZE)
    start = (number - 1) * size
    rows = found.annotate(total=Window(Count("id")))[start : start + size]
    items: list[Document] = [*rows]
    # Past the last page there is no row to carry the total: count the usual way.
    count = int(getattr(items[0], "total", 0)) if items else (found.count() if start else 0)
    return Page(items=items, count=count, number=number, size=size)
