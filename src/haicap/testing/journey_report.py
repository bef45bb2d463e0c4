"""What a journey is about and what it found: the persona, its limits, every response,
every form submitted, and the address patterns that bound the walk."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit


@dataclass(frozen=True)
class Persona:
    name: str
    username: str = ""  # empty: anonymous
    password: str = ""
    landing: tuple[str, ...] = ()  # where this persona starts besides the home page
    admin_pages: int = 0  # Django admin index pages to look at (national administrator)


@dataclass(frozen=True)
class Limits:
    pages: int = 40
    per_pattern: int = 4  # visits per address pattern (path and query keys)
    per_path: int = 6  # visits per path pattern, whatever the query
    english: int = 2  # /en/ pages: a sample, the rest are the same views
    forms: int = 30
    screenshots: int = 3


@dataclass(frozen=True)
class Hit:
    method: str
    url: str
    status: int
    kind: str  # Playwright's resource type: document, xhr, fetch, …
    on: str  # the page being visited or the form being submitted


@dataclass(frozen=True)
class Submission:
    form: str
    variant: str  # "valid" or "invalid"
    page: str
    status: int | None  # None: the form had nothing that could be invalid
    errors_shown: bool


@dataclass
class JourneyReport:
    persona: str
    pages: list[str] = field(default_factory=list)
    hits: list[Hit] = field(default_factory=list)
    submissions: list[Submission] = field(default_factory=list)
    htmx: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    timings: list[tuple[float, str]] = field(default_factory=list)  # seconds, what

    def server_errors(self) -> list[Hit]:
        return [hit for hit in self.hits if hit.status >= 500]

    def failures(self) -> list[str]:
        errors = [
            f"{self.persona}: {hit.status} for {hit.method} {hit.url} (on {hit.on})"
            for hit in self.server_errors()
        ]
        return errors + self.problems

    def invalid_checked(self) -> list[Submission]:
        return [s for s in self.submissions if s.variant == "invalid" and s.status is not None]

    def summary(self) -> str:
        classes = Counter(f"{hit.status // 100}xx" for hit in self.hits)
        forms = {s.form for s in self.submissions}
        return (
            f"{self.persona}: {len(self.pages)} pages, {len(forms)} forms "
            f"({len([s for s in self.submissions if s.status is not None])} submissions, "
            f"{len(self.invalid_checked())} with invalid input), {len(self.hits)} responses "
            f"({', '.join(f'{k}: {v}' for k, v in sorted(classes.items()))}), "
            f"{len(self.htmx)} htmx requests, {len(self.failures())} failures"
        )


DIGIT = re.compile(r"\d")
_WORD = re.compile(r"[a-z_]{1,24}")
SKIPPED = re.compile(r"^(/en)?/(accounts/logout/|static/|media/)")
ADMIN = re.compile(r"^(/en)?/admin/")
# The admin's home and its app pages; not its password change or sign-out.
ADMIN_INDEX = re.compile(r"^/admin/((?!password_change/|logout/)[a-z_]+/)?$")


def url_pattern(url: str) -> str:
    """/staff/dossiers/H01.00004-250701-0001/?queue=mine → /staff/dossiers/{}/?queue=mine."""
    parts = urlsplit(url)
    path = "/".join("{}" if DIGIT.search(part) else part for part in parts.path.split("/"))
    keys = sorted(
        {
            f"{key}={value}" if _WORD.fullmatch(value) else key
            for key, value in parse_qsl(parts.query, keep_blank_values=True)
            if key != "page"  # another page of the same list
        }
    )
    return path + ("?" + "&".join(keys) if keys else "")


def write_summary(report: JourneyReport, path: Path) -> None:
    """The report as text: pages, forms and their answers, htmx, slowest steps, failures."""
    slowest = sorted(report.timings, reverse=True)[:10]
    lines = [
        report.summary(),
        "",
        "Pages:",
        *report.pages,
        "",
        "Forms:",
        *(
            f"{s.variant:8} {s.status} {'errors shown' if s.errors_shown else ''}  {s.form}"
            for s in report.submissions
        ),
        "",
        "htmx:",
        *report.htmx,
        "",
        "Slowest:",
        *(f"{seconds:6.2f}s {what}" for seconds, what in slowest),
        "",
        "Notes:",
        *report.notes,
        "",
        "Failures:",
        *report.failures(),
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n")
