"""The development e-mail backend: prints messages with addresses and secrets masked."""

from __future__ import annotations

from django.core.mail.backends.console import EmailBackend as ConsoleBackend
from django.core.mail.message import EmailMessage

from haicap.core.logging import mask_email, mask_personal_data


class MaskingConsoleBackend(ConsoleBackend):
    """Like Django's console backend, but the server log never holds an address or a secret."""

    def write_message(self, message: EmailMessage) -> None:
        recipients = ", ".join(mask_email(address) for address in message.recipients())
        self.stream.write(
            f"[e-mail to {recipients}] {mask_personal_data(str(message.subject))}\n"
            f"{mask_personal_data(str(message.body))}\n{'-' * 79}\n"
        )
