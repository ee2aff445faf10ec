"""Run an SMS delivery worker (Art. 11): one batch, or a loop until stopped.

``manage.py deliver_messages --loop --worker-id w1`` is a long-running worker (an alternative to
``qcluster`` for a dedicated SMS process); tests start real worker processes with
``--stop-when-idle``/``--max-seconds`` so that they end on their own.
"""

from __future__ import annotations

import signal
import time

from django.core.management.base import BaseCommand

from govhall.notifications import queries
from govhall.notifications.delivery import default_worker_id, deliver_due


class Command(BaseCommand):
    help = "Deliver due SMS messages from the outbox."

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="keep delivering until stopped")
        parser.add_argument("--worker-id", default="", help="name of this worker (default host:pid)")
        parser.add_argument("--batch", type=int, default=None, help="messages claimed at a time")
        parser.add_argument("--lease-seconds", type=float, default=None, help="lease length")
        parser.add_argument("--sleep", type=float, default=1.0, help="pause when nothing is due (seconds)")
        parser.add_argument(
            "--stop-when-idle", action="store_true", help="exit once no message is waiting for delivery"
        )
        parser.add_argument("--max-seconds", type=float, default=0, help="exit after this long (0: never)")

    def handle(self, *args, loop: bool, worker_id: str, batch, lease_seconds, sleep: float, **options):
        worker_id = worker_id or default_worker_id()
        stop_when_idle, max_seconds = options["stop_when_idle"], options["max_seconds"]
        deadline = time.monotonic() + max_seconds if max_seconds else None
        stopping: list[bool] = []
        signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
        total = 0
        while not stopping:
            claimed = deliver_due(worker_id, batch, lease_seconds=lease_seconds)
            total += claimed
            if not loop or (deadline is not None and time.monotonic() >= deadline):
                break
            if claimed == 0:
                if stop_when_idle and not queries.waiting().exists():
                    break
                time.sleep(sleep)
        self.stdout.write(f"worker {worker_id}: {total} message(s) claimed")
