"""The web server's access log, with personal data masked like every other log line: the path
is logged without its query string, and the tokens a path may carry (a password-reset or an
activation link) are masked (core/logging.py). Control characters a client put in the path
(an encoded newline, a NUL) are written escaped, so no request can forge a log line."""

from __future__ import annotations

import re
from typing import Any

from gunicorn.glogging import Logger

from haicap.core.logging import mask_personal_data

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _escaped(text: str) -> str:
    return _CONTROL.sub(lambda found: f"\\x{ord(found.group()):02x}", text)


class MaskingAccessLogger(Logger):
    def atoms(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> Any:
        found = super().atoms(resp, req, environ, request_time)
        for atom in ("U", "r"):
            if isinstance(found.get(atom), str):
                found[atom] = _escaped(mask_personal_data(found[atom]))
        return found
