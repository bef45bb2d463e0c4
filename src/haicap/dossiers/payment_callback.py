"""haicap's side of the gateway's callback: check the signature and time, then apply it.

The HTTP view (``sandbox_views.callback``) and the sandbox's direct delivery both come here,
so a callback is checked the same way however it arrives.
"""

from __future__ import annotations

from collections.abc import Mapping

from haicap.core.actors import SYSTEM
from haicap.dossiers.actions.payment import do_apply_callback
from haicap.dossiers.gateway import verify_callback
from haicap.dossiers.models import Payment


def handle(posted: Mapping[str, str]) -> Payment:
    """Apply a callback; raises DomainError (403 forged, 400 expired, 409 replayed, 422 …)."""
    return do_apply_callback(verify_callback(posted), actor=SYSTEM)
