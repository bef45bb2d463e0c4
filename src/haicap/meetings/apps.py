from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "haicap.meetings"
    label = "meetings"
    verbose_name = _("Online conferences")
    page_urls = (("staff/meetings/", "haicap.meetings.pages"),)
    api_routers = (
        ("/meetings", "haicap.meetings.api:router"),
        ("/connection-points", "haicap.meetings.api:points"),
    )

    def ready(self) -> None:
        from haicap.core import handover, nav
        from haicap.meetings import attendance, tasks  # noqa: F401  (receiver, jobs)
        from haicap.meetings.bulk import PointHandOver
        from haicap.staff.nav import officers

        nav.register(
            nav.NavLink("conferences:schedule", _("Meetings"), 70, officers),
            nav.NavLink("conferences:points", _("Connection points"), 71, officers),
        )
        handover.register(PointHandOver())

    def setup_reference_data(self, out: Any, *, progress: bool) -> None:
        """A connection point for every commune and province in force (idempotent)."""
        from haicap.meetings.points import create_points

        out.write(f"meetings: {create_points()} connection points created")
