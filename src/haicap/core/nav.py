"""The site's main menu, gathered from the apps: each app registers its pages in ready().

A page that is linked from the menu (or from a page that is) is found by the journey tests,
so registering a link here is how a new page joins them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise


def everyone(request: HttpRequest) -> bool:
    return True


@dataclass(frozen=True)
class NavLink:
    url_name: str
    label: str | Promise
    # Place in the menu: public pages 10–49, officers' pages 50–89, a citizen's own 90–99.
    order: int
    shown: Callable[[HttpRequest], bool] = everyone


_LINKS: dict[str, NavLink] = {}


def register(*links: NavLink) -> None:
    """Add links to the menu (idempotent: a link is known by its URL name)."""
    for link in links:
        _LINKS[link.url_name] = link


def menu(request: HttpRequest) -> list[dict[str, str]]:
    """The links this visitor sees, in order: ``{"url", "label", "name"}``."""
    return [
        {"url": reverse(link.url_name), "label": str(link.label), "name": link.url_name}
        for link in sorted(_LINKS.values(), key=lambda link: (link.order, link.url_name))
        if link.shown(request)
    ]
