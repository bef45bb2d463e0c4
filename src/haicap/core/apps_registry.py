"""What each app adds to the site, declared on its AppConfig and gathered here.

- ``page_urls``: ``(prefix, urls module)`` pairs for the pages (Vietnamese at the root,
  English under /en/);
- ``api_routers``: ``(prefix, "module:attribute")`` pairs for routers under /api/v1/;
- ``setup_reference_data(out, *, progress)``: reference data for ``haicap setup``.
Apps are read in INSTALLED_APPS order, so a new app joins by being installed.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.apps import apps


def page_urls() -> Iterator[tuple[str, str]]:
    for config in apps.get_app_configs():
        yield from getattr(config, "page_urls", ())


def api_routers() -> Iterator[tuple[str, str]]:
    for config in apps.get_app_configs():
        yield from getattr(config, "api_routers", ())
