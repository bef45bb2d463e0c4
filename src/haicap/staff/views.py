"""The sign-in page: Django's, with the throttle's message and a 429 when it refuses."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.http import HttpResponse

from haicap.staff import signin


class SignInForm(AuthenticationForm):
    def clean(self) -> dict[str, Any]:
        wait = signin.wait_for(self.request, self.data.get("username", ""))
        if wait is not None:
            raise forms.ValidationError(signin.refusal(wait), code="throttled")
        return super().clean()


class SignInView(LoginView):
    form_class = SignInForm

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_invalid(form)
        wait = signin.wait_for(self.request, self.request.POST.get("username", ""))
        if wait is not None:
            response.status_code = 429
            response["Retry-After"] = str(wait)
        return response
