"""Debian's browser libraries for Janus, served as haicap static files (no CDN).

``libjs-janus-gateway`` installs ``/usr/share/javascript/janus-gateway/janus.js`` and
``libjs-webrtc-adapter`` installs the library it needs,
``/usr/share/javascript/webrtc-adapter/adapter.js``.
This finder offers exactly those two files at ``STATIC_URL`` + ``janus-gateway/janus.js`` and
``webrtc-adapter/adapter.js``: the development and test servers find them, ``collectstatic``
copies them for WhiteNoise, and nothing else of those folders (minified twins, source maps,
pre-compressed copies) comes along.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles.finders import FileSystemFinder
from django.core import checks
from django.core.files.storage import FileSystemStorage

# Folder below HAICAP_JAVASCRIPT_DIR → (the one file served from it, its Debian package).
LIBRARIES = {
    "janus-gateway": ("janus.js", "libjs-janus-gateway"),
    "webrtc-adapter": ("adapter.js", "libjs-webrtc-adapter"),
}
STATIC_PATHS = {f"{folder}/{name}" for folder, (name, _) in LIBRARIES.items()}


class _PrefixedStorage(FileSystemStorage):
    """A folder whose files collectstatic copies below ``prefix``."""

    def __init__(self, location: str, prefix: str) -> None:
        super().__init__(location=location)
        self.prefix = prefix


class DebianJavascriptFinder(FileSystemFinder):
    def __init__(self, app_names: Any = None, *args: Any, **kwargs: Any) -> None:
        root = Path(settings.JAVASCRIPT_DIR)
        self.locations = [(folder, str(root / folder)) for folder in LIBRARIES]
        self.storages = {
            location: _PrefixedStorage(location, folder) for folder, location in self.locations
        }

    def check(self, **kwargs: Any) -> list[checks.CheckMessage]:
        return [
            checks.Warning(
                f"{location}/{LIBRARIES[folder][0]} is missing, so no point can join an "
                "online conference",
                hint=f"Install Debian's {LIBRARIES[folder][1]} (`make janus` does), or set "
                "HAICAP_JAVASCRIPT_DIR to where it is.",
                id="meetings.W001",
            )
            for folder, location in self.locations
            if not Path(location, LIBRARIES[folder][0]).is_file()
        ]

    def find_location(self, root: str, path: str, prefix: str | None = None) -> str | None:
        if path not in STATIC_PATHS:
            return None
        return super().find_location(root, path, prefix)

    def list(self, ignore_patterns: Iterable[str] | None) -> Iterator[tuple[str, Any]]:
        for folder, location in self.locations:
            name = LIBRARIES[folder][0]
            if Path(location, name).is_file():
                yield name, self.storages[location]
