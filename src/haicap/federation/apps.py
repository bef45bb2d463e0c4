from __future__ import annotations

from django.apps import AppConfig
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _


def is_hub() -> bool:
    return settings.HAICAP_ROLE in ("hub", "both")


def is_province() -> bool:
    return settings.HAICAP_ROLE in ("province", "both")


def federation_error(request: HttpRequest, message: str, status: int) -> HttpResponse:
    """The input guard's refusal in the protocol's shape (``error_code`` 1), as the hub
    answers its own refusals."""
    from haicap.federation.hub import refusal
    from haicap.federation.protocol import ErrorCode, ProtocolError

    return refusal(ProtocolError(ErrorCode.MALFORMED, message))


class FederationConfig(AppConfig):
    name = "haicap.federation"
    label = "federation"
    verbose_name = _("National federation")

    # The role decides what this deployment answers: the hub's endpoints and pages only on
    # a hub, the province's sync page and published lists only on a province.
    @property
    def page_urls(self) -> tuple[tuple[str, str], ...]:
        urls: list[tuple[str, str]] = []
        if is_province():
            urls.append(("staff/sync/", "haicap.federation.urls_province"))
            urls.append(("federation/", "haicap.federation.urls_public"))
        if is_hub():
            urls.append(("national/", "haicap.federation.urls_hub"))
        return tuple(urls)

    @property
    def api_routers(self) -> tuple[tuple[str, str], ...]:
        routers: list[tuple[str, str]] = []
        if is_province():
            routers.append(("/province", "haicap.federation.api:province"))
        if is_hub():
            routers.append(("/federation", "haicap.federation.api:hub"))
            routers.append(("/national", "haicap.federation.api:national"))
        return tuple(routers)

    def ready(self) -> None:
        from haicap.core import guards, nav
        from haicap.federation import tasks  # noqa: F401  (registers the jobs)
        from haicap.federation.access import hub_staff, province_staff

        links = []
        if is_province():
            links.append(nav.NavLink("federation:sync", _("National sync"), 70, province_staff))
        if is_hub():
            links += [
                nav.NavLink("national:lookup", _("National lookup"), 46),
                nav.NavLink("national:catalogue", _("National catalogue"), 47),
                nav.NavLink("national:monitor", _("34/34 monitor"), 71, hub_staff),
            ]
        nav.register(*links)
        if is_hub():
            guards.answer_under("/api/v1/federation/", federation_error)
