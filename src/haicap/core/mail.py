"""The development e-mail backend: the console (the server's log) gets each message with
addresses, secrets and account links masked; the whole message is kept in
``DATA_DIR/mail/`` (readable by the server's user only), where a developer opens the
activation or reset link."""

from __future__ import annotations

import os
import time
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.console import EmailBackend as ConsoleBackend
from django.core.mail.message import EmailMessage

from haicap.core.logging import mask_email, mask_personal_data


def outbox_dir() -> Path:
    return Path(settings.DATA_DIR) / "mail"


class MaskingConsoleBackend(ConsoleBackend):
    """Like Django's console backend, but the server log never holds an address or a secret."""

    def write_message(self, message: EmailMessage) -> None:
        kept = self._keep(message)
        recipients = ", ".join(mask_email(address) for address in message.recipients())
        self.stream.write(
            f"[e-mail to {recipients}] {mask_personal_data(str(message.subject))}\n"
            f"{mask_personal_data(str(message.body))}\n"
            f"(the whole message: {kept.name} in the data directory's mail/)\n{'-' * 79}\n"
        )

    @staticmethod
    def _keep(message: EmailMessage) -> Path:
        folder = outbox_dir()
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        path = folder / f"{time.strftime('%Y%m%d-%H%M%S')}-{time.time_ns() % 10**9:09d}.eml"
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as out:
            out.write(message.message().as_bytes())
        return path
