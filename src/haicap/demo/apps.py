from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """`haicap demo`: above every other app, so it may use any of them."""

    name = "haicap.demo"
    label = "demo"
    verbose_name = _("Demo data")
