"""The two messages sign-up sends: the activation link, or "you already have an account"."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _


def send_activation(email: str, link: str) -> None:
    with translation.override("vi"):
        send_mail(
            _("Activate your haicap account"),
            _("Follow this link to activate your account: %(link)s") % {"link": link},
            None,
            [email],
        )


def send_existing(email: str) -> None:
    with translation.override("vi"):
        login = settings.SITE_URL + reverse("portal:signin")
        send_mail(
            _("You already have a haicap account"),
            _(
                "Someone tried to create an account with this address, which already has one. "
                "Sign in at %(link)s. If it was not you, nothing changes."
            )
            % {"link": login},
            None,
            [email],
        )
