"""Forms of the citizen's account pages: sign-in by e-mail, password reset."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from haicap.portal.models import CitizenProfile


class CitizenSignInForm(AuthenticationForm):
    """E-mail and password of a citizen account; officers are sent to their own page."""

    username = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )

    def clean_username(self) -> str:
        return str(self.cleaned_data["username"]).strip().lower()

    def confirm_login_allowed(self, user: User) -> None:
        super().confirm_login_allowed(user)
        if not CitizenProfile.objects.filter(user_id=user.pk).exists():
            raise ValidationError(
                _("This page is for citizens' accounts. Officers sign in on the staff page."),
                code="not_a_citizen",
            )


class CitizenPasswordResetForm(PasswordResetForm):
    """Django's reset form; the e-mail goes only to citizen accounts."""

    def get_users(self, email: str) -> Iterator[Any]:
        for user in super().get_users(email):
            if CitizenProfile.objects.filter(user_id=user.pk).exists():
                yield user
