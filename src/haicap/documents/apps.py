from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "haicap.documents"
    label = "documents"
    verbose_name = _("Official documents")
    page_urls = (("staff/documents/", "haicap.documents.urls"),)
    api_routers = (
        ("/documents", "haicap.documents.api:router"),
        ("/agencies", "haicap.documents.api:agencies"),
    )

    def ready(self) -> None:
        from haicap.core import handover, nav, role_targets
        from haicap.documents import tasks  # noqa: F401  (registers the reminders)
        from haicap.documents.agencies import grant_agency_roles
        from haicap.documents.bulk import DocumentHandOver
        from haicap.documents.views.common import document_officers

        nav.register(nav.NavLink("documents:inbox", _("Documents"), 65, document_officers))
        handover.register(DocumentHandOver())
        role_targets.register("agency", grant_agency_roles)

    def setup_reference_data(self, out: Any, *, progress: bool) -> None:
        """The People's Committee of every province and commune in force (idempotent)."""
        from haicap.documents.agencies import create_committees

        created = create_committees()
        out.write(f"documents: {created} People's Committees created as agencies")
