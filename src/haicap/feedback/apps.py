from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _


def open311_error(request: HttpRequest, message: str, status: int) -> HttpResponse:
    """The input guard's refusal in Open311's error shape, in the format the path asks."""
    from haicap.feedback.open311.render import error

    return error("json" if request.path.endswith(".json") else "xml", status, message)


class FeedbackConfig(AppConfig):
    name = "haicap.feedback"
    label = "feedback"
    verbose_name = _("Citizen feedback")
    page_urls = (
        ("staff/feedback/", "haicap.feedback.urls"),
        ("feedback/", "haicap.feedback.public_urls"),
        ("open311/v2/", "haicap.feedback.open311.urls"),
    )

    def ready(self) -> None:
        from haicap.core import guards, handover, nav
        from haicap.feedback import tasks  # noqa: F401  (registers the reminders)
        from haicap.feedback.bulk import ReportHandOver
        from haicap.staff import nav as shown

        nav.register(
            nav.NavLink("feedback_public:list", _("Citizen feedback"), 30),
            nav.NavLink("feedback:queue", _("Feedback"), 66, shown.officers),
            nav.NavLink(
                "feedback:console",
                _("Hotline console"),
                67,
                shown.holding("receiver", "province_admin"),
            ),
            nav.NavLink("feedback:figures", _("Feedback figures"), 68, shown.officers),
        )
        handover.register(ReportHandOver())
        guards.answer_under("/open311/", open311_error)

    def setup_reference_data(self, out: Any, *, progress: bool) -> None:
        """The national list of categories (idempotent: a province's changes are kept)."""
        from haicap.feedback.categories import seed_categories

        created = seed_categories()
        out.write(f"feedback: {created} categories created")
