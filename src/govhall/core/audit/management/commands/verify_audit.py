"""``manage.py verify_audit``: recompute and check the whole audit chain.

Why: tampering with system data must be detectable (regulation Art. 20 (四), Art. 23); this is the
check an operator schedules and an auditor runs. Exit code 0 and ``OK: N events, M checkpoints``, or
exit code 1 naming the first bad row in Chinese and English.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from govhall.core.audit import signing
from govhall.core.audit.verify import verify_chain


def _since(value: str) -> int | bool:
    return True if value == "latest" else int(value)


class Command(BaseCommand):
    help = "校验审计日志哈希链与签名检查点 / Verify the audit hash chain and its signed checkpoints."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--since-checkpoint",
            nargs="?",
            const="latest",
            default=None,
            type=str,
            metavar="ID",
            help="start at a signed checkpoint (the newest one if no id is given) instead of event 1",
        )
        parser.add_argument(
            "--public-key",
            action="append",
            type=Path,
            default=None,
            metavar="PEM",
            help="verify checkpoints with this Ed25519 public key (repeatable); default: the key file",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="processes to split the chain between (default: one per CPU, up to 4, for long chains on PostgreSQL)",
        )
        parser.add_argument("--chunk-size", type=int, default=5000, help="rows fetched per round trip")

    def handle(self, *args: Any, **options: Any) -> None:
        since = _since(options["since_checkpoint"]) if options["since_checkpoint"] else None
        keys = signing.verification_keys(options["public_key"]) if options["public_key"] else None
        result = verify_chain(
            since_checkpoint=since,
            public_keys=keys,
            workers=options["workers"],
            chunk_size=options["chunk_size"],
        )
        if not result.ok:
            raise CommandError(result.message(), returncode=1)
        self.stdout.write(result.message())
