"""A citizen's own pages: their dossiers and signing up."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from haicap.core.errors import DomainError
from haicap.core.pagination import page_number, paginate
from haicap.portal import access
from haicap.portal.actions import (
    do_register_citizen,
)
from haicap.portal.forms import SignUpForm
from haicap.portal.models import Draft


@login_required
def my_dossiers(request: HttpRequest) -> HttpResponse:
    dossiers = (
        access.citizen_dossiers(request.user).select_related("procedure").order_by("-created_at")
    )
    signed_in = request.user.pk
    assert signed_in is not None  # login_required
    drafts = (
        Draft.objects.filter(user_id=signed_in).select_related("procedure").order_by("-updated_at")
    )
    return render(
        request,
        "portal/my_dossiers.html",
        {"page": paginate(dossiers, page_number(request), 20), "drafts": drafts},
    )


def signup(request: HttpRequest) -> HttpResponse:
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = do_register_citizen(
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password"],
                full_name=form.cleaned_data["full_name"],
                phone=form.cleaned_data["phone"],
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect("portal:my_dossiers")
    return render(
        request,
        "portal/signup.html",
        {"form": form, "oidc": settings.OIDC_ISSUER, "oidc_name": settings.OIDC_PROVIDER_NAME},
    )
