"""The public check of a signed result: upload the file, or follow the QR code printed on it."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from haicap.core.errors import DomainError
from haicap.core.ratelimit import check
from haicap.dossiers import result_check
from haicap.portal.public import masked_name


class VerifyForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Signed result (PDF)"))


def verify_upload(request: HttpRequest) -> HttpResponse:
    form = VerifyForm(request.POST or None, request.FILES or None)
    context: dict[str, object] = {"form": form}
    status = 200
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "portal/verify.html", context, status=400)
        upload = form.cleaned_data["file"]
        limit = settings.MAX_UPLOAD_MB * 1024 * 1024
        content = upload.read(limit + 1)
        try:
            check(request, "lookup", settings.RATE_LIMIT_LOOKUP)
            if len(content) > limit:
                raise DomainError(
                    _("The file is larger than %(mb)s MB.") % {"mb": settings.MAX_UPLOAD_MB}
                )
            found = result_check.check_file(content)
        except DomainError as exc:
            form.add_error("file", exc.message)
            status = 429 if exc.status == 429 else 400
        else:
            context["check"] = found.verification
            context["issued"] = found.issued
            if found.issued is not None:
                context["applicant"] = masked_name(found.issued.paper.dossier.applicant_name)
    return render(request, "portal/verify.html", context, status=status)


def verify_token(request: HttpRequest, token: str) -> HttpResponse:
    found = result_check.by_token(token)
    if found is None:
        raise Http404(_("No result has this verification code."))
    issued, verification = found
    return render(
        request,
        "portal/verify.html",
        {
            "form": VerifyForm(),
            "check": verification,
            "issued": issued,
            "applicant": masked_name(issued.paper.dossier.applicant_name),
            "from_qr": True,
        },
    )
