"""Where a journey goes next: same-origin addresses in an order that reaches every kind of page
early, within the persona's limits (per pattern, English sample, admin index pages)."""

from __future__ import annotations

from collections import Counter, deque
from urllib.parse import urlsplit, urlunsplit

from haicap.testing.journey_report import (
    ADMIN,
    ADMIN_INDEX,
    SKIPPED,
    Limits,
    Persona,
    url_pattern,
)


class Frontier:
    """Addresses of a kind not queued yet come first (``fresh``), more of a known kind later."""

    def __init__(self, base: str, persona: Persona, limits: Limits):
        self.base, self.origin = base, urlsplit(base).netloc
        self.persona, self.limits = persona, limits
        self.fresh: deque[str] = deque()
        self.later: deque[str] = deque()
        self.queued: set[str] = set()
        self.kinds: set[str] = set()
        self.productive: set[str] = set()
        self.visits: Counter[str] = Counter()
        self.english = self.admin = 0

    def add(self, url: str, source: str = "") -> None:
        """Queue ``url``, found on ``source``: the first address of each pattern found on each
        kind of page goes first (the first dossier of each queue tab, not ten of one tab)."""
        parts = urlsplit(url)
        if parts.scheme not in {"http", "https"} or parts.netloc != self.origin:
            return  # external, mailto:, javascript:
        url = urlunsplit(parts._replace(fragment=""))
        if SKIPPED.match(parts.path):
            return
        kind = "/en/*"  # one English page early; a couple more if the budget allows
        if not parts.path.startswith("/en/"):
            kind = f"{url_pattern(url)} from {url_pattern(source)}"
        if kind in self.kinds:
            if url not in self.queued:
                self.queued.add(url)
                self.later.append(url)
            return
        if url in self.queued:
            if url not in self.later:
                return  # already early or seen: the next link of this kind may take the place
            self.later.remove(url)
        self.queued.add(url)
        self.kinds.add(kind)
        if url_pattern(url) in self.productive:
            self.fresh.appendleft(url)  # a page like it offered new forms: this one may too
        else:
            self.fresh.append(url)

    def promote(self, pattern: str) -> None:
        """A page of ``pattern`` offered new forms: other pages like it (a dossier in another
        state) may offer more, so they go first: those found on other pages, else one more."""
        self.productive.add(pattern)
        alike = [url for url in self.fresh if url_pattern(url) == pattern]
        if not alike:
            english = f"{self.base}/en/"
            alike = [
                u for u in self.later if url_pattern(u) == pattern and not u.startswith(english)
            ]
            alike = alike[:1]
            for url in alike:
                self.later.remove(url)
        for url in reversed(alike):
            if url in self.fresh:
                self.fresh.remove(url)
            self.fresh.appendleft(url)

    def next(self) -> str | None:
        """The next address within the limits; None when there is none left."""
        while self.fresh or self.later:
            url = (self.fresh or self.later).popleft()
            if self._admit(url):
                return url
        return None

    def _admit(self, url: str) -> bool:
        path = urlsplit(url).path
        if ADMIN.match(path):
            if self.admin >= self.persona.admin_pages or not ADMIN_INDEX.match(path):
                return False
            self.admin += 1
            return True
        english = path.startswith("/en/")
        if english and self.english >= self.limits.english:
            return False
        pattern = url_pattern(url)
        by_path = pattern.split("?")[0] + "?*"
        if (
            self.visits[pattern] >= self.limits.per_pattern
            or self.visits[by_path] >= self.limits.per_path
        ):
            return False
        self.visits.update([pattern, by_path])
        self.english += english
        return True
