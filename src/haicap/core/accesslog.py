"""The web server's access log, with personal data masked like every other log line: the path
is logged without its query string, and the tokens a path may carry (a password-reset or an
activation link) are masked (core/logging.py)."""

from __future__ import annotations

from typing import Any

from gunicorn.glogging import Logger

from haicap.core.logging import mask_personal_data


class MaskingAccessLogger(Logger):
    def atoms(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> Any:
        found = super().atoms(resp, req, environ, request_time)
        for atom in ("U", "r"):
            if isinstance(found.get(atom), str):
                found[atom] = mask_personal_data(found[atom])
        return found
