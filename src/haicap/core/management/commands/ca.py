"""`haicap ca init [--force]`, `ca issue --name … --out DIR`, `ca show`: the local CA for demos."""

from __future__ import annotations

import secrets
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from haicap.core.errors import DomainError
from haicap.core.pki import LocalCA, init_ca, issue_signer, load_ca


class Command(BaseCommand):
    help = "The local certificate authority that stands in for the national CA in demos and tests."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        init = sub.add_parser("init", help="make the CA in HAICAP_DATA_DIR/ca (kept if it exists)")
        init.add_argument("--org", default="haicap", help="the province or site, in the CA's O=")
        init.add_argument("--force", action="store_true", help="replace an existing CA")
        issue = sub.add_parser("issue", help="a signing certificate and key for a person")
        issue.add_argument("--name", required=True, help='full name, e.g. "Nguyễn Văn An"')
        issue.add_argument("--title", default="", help='e.g. "Chủ tịch UBND"')
        issue.add_argument("--org", default="", help='e.g. "UBND Phường Ba Đình"')
        issue.add_argument("--email", default=None)
        issue.add_argument("--days", type=int, default=730, help="validity in days")
        issue.add_argument(
            "--passphrase-file",
            type=Path,
            help="file holding the key's passphrase (default: a new one, printed once)",
        )
        issue.add_argument("--out", type=Path, required=True, help="directory for the files")
        sub.add_parser("show", help="the CA's subject, fingerprint and validity")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["action"] == "init":
                self._init(options["org"], force=options["force"])
            elif options["action"] == "issue":
                self._issue(options)
            else:
                self._show(load_ca())
        except DomainError as exc:
            raise CommandError(exc.message) from exc

    def _init(self, organisation: str, *, force: bool) -> None:
        ca, created = init_ca(organisation=organisation, force=force)
        if created:
            self.stdout.write(f"made the local CA in {ca.directory}")
        else:
            self.stdout.write(f"the local CA in {ca.directory} exists; kept (--force replaces it)")
        self._show(ca)

    def _issue(self, options: dict[str, Any]) -> None:
        out: Path = options["out"]
        cert_path, chain_path, key_path = out / "cert.pem", out / "chain.pem", out / "key.pem"
        if any(path.exists() for path in (cert_path, chain_path, key_path)):
            raise CommandError(f"{out} already holds a signer's files; choose another --out")
        passphrase_file: Path | None = options["passphrase_file"]
        if passphrase_file:
            try:
                passphrase = passphrase_file.read_text(encoding="utf-8").strip()
            except OSError as exc:
                raise CommandError(f"cannot read {passphrase_file}: {exc}") from exc
        else:
            passphrase = secrets.token_urlsafe(18)
        issued = issue_signer(
            load_ca(),
            name=options["name"],
            title=options["title"],
            organisation=options["org"],
            email=options["email"],
            passphrase=passphrase,
            valid_days=options["days"],
        )
        out.mkdir(parents=True, exist_ok=True)
        cert_path.write_bytes(issued.certificate_pem)
        chain_path.write_bytes(issued.chain_pem)
        # Encrypted, and still readable by its owner only.
        key_path.touch(mode=0o600)
        key_path.chmod(0o600)
        key_path.write_bytes(issued.key_pem)
        self.stdout.write(f"wrote {cert_path}, {chain_path} (the CA's) and {key_path} (encrypted)")
        self.stdout.write(f"serial {issued.serial:X}")
        self.stdout.write(f"fingerprint {issued.fingerprint}")
        if not passphrase_file:
            self.stdout.write(f"key passphrase (shown once): {passphrase}")

    def _show(self, ca: LocalCA) -> None:
        certificate = ca.certificate
        self.stdout.write(f"subject {ca.subject}")
        self.stdout.write(f"fingerprint (SHA-256) {ca.fingerprint}")
        self.stdout.write(
            f"valid {certificate.not_valid_before_utc:%Y-%m-%d %H:%M} to "
            f"{certificate.not_valid_after_utc:%Y-%m-%d %H:%M} UTC"
        )
        self.stdout.write(f"certificate {ca.directory / 'ca-cert.pem'}")
