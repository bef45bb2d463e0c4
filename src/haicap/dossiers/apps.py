from django.apps import AppConfig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext_lazy as _


def callback_error(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return JsonResponse(
        {"error": {"code": "invalid", "message": message}},
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )


class DossiersConfig(AppConfig):
    name = "haicap.dossiers"
    verbose_name = _("Dossiers")
    page_urls = (("staff/", "haicap.dossiers.urls"), ("payments/", "haicap.dossiers.payment_urls"))
    api_routers = (("/dossiers", "haicap.dossiers.api:router"),)

    def ready(self) -> None:
        from haicap.core import guards, handover, nav
        from haicap.dossiers.bulk import DossierHandOver
        from haicap.staff import nav as shown
        from haicap.staff.models import Role

        nav.register(
            nav.NavLink("staff:queues", _("Work queues"), 50, shown.officers),
            nav.NavLink("staff:registers", _("Desk registers"), 56, shown.officers),
            nav.NavLink(
                "staff:intake",
                _("Receive a dossier"),
                55,
                shown.holding(Role.RECEIVER, Role.PROVINCE_ADMIN),
            ),
        )
        handover.register(DossierHandOver())
        # The gateway's callbacks get the guard's refusals as JSON, like the view's own.
        guards.answer_under("/payments/callback/", callback_error)
