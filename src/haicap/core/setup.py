"""What `haicap setup` runs after migrating: each app's reference data, in INSTALLED_APPS order.

An app takes part by giving its AppConfig a ``setup_reference_data(out)`` method that is
idempotent: a second run changes nothing.
"""

from __future__ import annotations

from typing import Protocol

from django.apps import apps


class Output(Protocol):
    def write(self, msg: str, /) -> object: ...


def run_setup_steps(out: Output, *, progress: bool) -> None:
    for config in apps.get_app_configs():
        step = getattr(config, "setup_reference_data", None)
        if step is not None:
            step(out, progress=progress)
