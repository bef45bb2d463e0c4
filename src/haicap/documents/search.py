"""Full-text search over documents without diacritics, in PostgreSQL.

Stored and asked text pass through the same normalisation (``core.text.search_key``, then
every run of characters other than letters and digits becomes a space), so "quyet dinh"
finds "Quyết định" and "5/QĐ-UBND" finds "05/QĐ-UBND". The text is indexed as a ``simple``
tsvector (GIN); every word asked must be there, as a word or the start of one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db.models import QuerySet

from haicap.core.text import search_key
from haicap.documents.models import Document

_NOT_WORD = re.compile(r"[^a-z0-9]+")
MAX_TERMS = 12
MAX_TERM = 40

VECTOR = SearchVector("search_text", config="simple")


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
    """A tsquery for the words of ``text`` (each a prefix), or None when it has none."""
    terms = [word[:MAX_TERM] for word in words(text.replace("\x00", ""))][:MAX_TERMS]
    if not terms:
        return None
    return " & ".join(f"{term}:*" for term in terms)


def search(found: QuerySet[Document], text: str) -> QuerySet[Document]:
    query = query_for(text)
    if query is None:
        return found
    return found.annotate(vector=VECTOR).filter(
        vector=SearchQuery(query, search_type="raw", config="simple")
    )
