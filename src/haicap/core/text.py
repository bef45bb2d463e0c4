"""Text helpers for Vietnamese: search keys without diacritics."""

from __future__ import annotations

import unicodedata


def search_key(text: str) -> str:
    """Lower case, no diacritics, "đ" as "d", single spaces: "Hoàn Kiếm" -> "hoan kiem"."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(stripped.lower().split())


def search_terms(query: str) -> list[str]:
    """The words of a search query as search keys; every one must match."""
    return search_key(query).split()
