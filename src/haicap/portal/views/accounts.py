"""A citizen's own pages: their dossiers and signing up."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from haicap.core.errors import DomainError
from haicap.core.pagination import page_number, paginate
from haicap.portal import access
from haicap.portal.actions import do_activate_citizen, do_request_signup
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
    """Sign-up answers the same for a new and a registered address (an e-mail tells which)."""
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            do_request_signup(
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password"],
                full_name=form.cleaned_data["full_name"],
                phone=form.cleaned_data["phone"],
                activation_url=lambda user: _activation_url(request, user),
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            return render(request, "portal/signup_sent.html", {"email": form.cleaned_data["email"]})
    return render(
        request,
        "portal/signup.html",
        {"form": form, "oidc": settings.OIDC_ISSUER, "oidc_name": settings.OIDC_PROVIDER_NAME},
    )


def _activation_url(request: HttpRequest, user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return settings.SITE_URL + reverse("portal:activate", args=[uid, token])


def activate(request: HttpRequest, uid: str, token: str) -> HttpResponse:
    """The link sent at sign-up: activates the account and signs the citizen in."""
    try:
        user = User.objects.get(pk=int(urlsafe_base64_decode(uid)), is_active=False)
    except (ValueError, OverflowError, User.DoesNotExist):
        user = None
    if user is None or not default_token_generator.check_token(user, token):
        return render(request, "portal/activation_failed.html", status=400)
    do_activate_citizen(user)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return redirect("portal:my_dossiers")
