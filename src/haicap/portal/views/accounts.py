"""A citizen's own pages: sign-in and sign-up (apart from the staff's), password reset by
e-mail, their dossiers (drafts, in progress, finished) and the inbox of what they were sent."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from haicap.core.errors import DomainError, TooManyRequests
from haicap.core.pagination import page_number, paginate
from haicap.core.ratelimit import check
from haicap.dossiers.models import FINAL_STATUSES, Notice
from haicap.portal import access
from haicap.portal.account_forms import CitizenPasswordResetForm, CitizenSignInForm
from haicap.portal.actions import do_activate_citizen, do_request_signup
from haicap.portal.forms import SignUpForm
from haicap.portal.models import Draft

citizen_required = login_required(login_url="portal:signin")

TABS = ("in_progress", "finished", "drafts")


@citizen_required
def my_dossiers(request: HttpRequest) -> HttpResponse:
    signed_in = request.user.pk
    assert signed_in is not None  # login_required
    tab = request.GET.get("tab", "in_progress")
    if tab not in TABS:
        tab = "in_progress"
    mine = access.citizen_dossiers(request.user).select_related("procedure")
    drafts = Draft.objects.filter(user_id=signed_in).select_related("procedure")
    counts = {
        "in_progress": mine.exclude(status__in=FINAL_STATUSES).count(),
        "finished": mine.filter(status__in=FINAL_STATUSES).count(),
        "drafts": drafts.count(),
    }
    # Lazy: read only on the drafts tab.
    context: dict[str, Any] = {
        "tab": tab,
        "counts": counts,
        "tabs": TABS,
        "drafts": drafts.order_by("-updated_at")[:100],
    }
    if tab != "drafts":
        chosen = (
            mine.filter(status__in=FINAL_STATUSES)
            if tab == "finished"
            else mine.exclude(status__in=FINAL_STATUSES)
        )
        context["page"] = paginate(chosen.order_by("-created_at"), page_number(request), 20)
    return render(request, "portal/my_dossiers.html", context)


@citizen_required
def inbox(request: HttpRequest) -> HttpResponse:
    """The messages sent about the citizen's own dossiers, newest first."""
    notices = (
        Notice.objects.filter(dossier__in=access.citizen_dossiers(request.user))
        .select_related("dossier")
        .order_by("-sent_at", "-id")
    )
    return render(
        request, "portal/inbox.html", {"page": paginate(notices, page_number(request), 20)}
    )


def signup(request: HttpRequest) -> HttpResponse:
    """Sign-up answers the same for a new and a registered address (an e-mail tells which)."""
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            check(request, "sign-in", settings.RATE_LIMIT_SIGN_IN)
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


def _refused(
    view: auth_views.LoginView | auth_views.PasswordResetView, request: HttpRequest, rule: str
) -> HttpResponse | None:
    """Each post of the form counts per client; past the limit the form says so (429)."""
    try:
        check(request, type(view).__name__, rule)
    except TooManyRequests as exc:
        form = view.get_form()
        form.add_error(None, exc.message)
        response = view.form_invalid(form)
        response.status_code = 429
        return response
    return None


class SignIn(auth_views.LoginView):
    template_name = "portal/signin.html"
    authentication_form = CitizenSignInForm

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        refused = _refused(self, request, settings.RATE_LIMIT_SIGN_IN)
        return refused or super().post(request, *args, **kwargs)

    def get_default_redirect_url(self) -> str:
        return reverse("portal:my_dossiers")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["oidc_name"] = settings.OIDC_PROVIDER_NAME if settings.OIDC_ISSUER else ""
        return context


class PasswordReset(auth_views.PasswordResetView):
    form_class = CitizenPasswordResetForm
    template_name = "portal/password_reset.html"
    email_template_name = "portal/password_reset_email.txt"
    subject_template_name = "portal/password_reset_subject.txt"
    success_url = reverse_lazy("portal:password_reset_done")

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        refused = _refused(self, request, settings.RATE_LIMIT_PASSWORD_RESET)
        return refused or super().post(request, *args, **kwargs)


password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="portal/password_reset_done.html"
)
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="portal/password_reset_confirm.html",
    success_url=reverse_lazy("portal:password_reset_complete"),
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="portal/password_reset_complete.html"
)
sign_in = SignIn.as_view()
password_reset = PasswordReset.as_view()


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
