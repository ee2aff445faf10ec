"""Benchmark: messages delivered per second through the fake gateway with N worker processes.

    manage.py bench_notifications --messages 2000 --workers 2

Starts the fake gateway process (``notifications/tests/fake_gateway.py``), queues the messages in one
transaction, starts N real ``deliver_messages --loop`` processes against the same database, and
prints the rate from the first to the last message accepted by the gateway (and, for reference,
including the workers' start-up). Run it on PostgreSQL (set
``DATABASE_URL``); the bench messages are deleted afterwards unless ``--keep``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test.utils import override_settings

from govhall.notifications import queries, services
from govhall.notifications.models import Message, Status

SRC = Path(__file__).resolve().parents[4]
MANAGE = SRC.parent / "manage.py"
BENCH_OBJECT = "bench.run"


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    credentials = quote(db["USER"] or "") + (":" + quote(db["PASSWORD"]) if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


class Command(BaseCommand):
    help = "Measure SMS messages delivered per second through the fake gateway with N workers."

    def add_arguments(self, parser):
        parser.add_argument("--messages", type=int, default=2000)
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--batch", type=int, default=50)
        parser.add_argument("--threads", type=int, default=None, help="gateway calls in flight per worker")
        parser.add_argument("--gateway-delay", type=float, default=0.0, help="fake provider latency (s)")
        parser.add_argument("--keep", action="store_true", help="keep the bench messages afterwards")
        parser.add_argument("--json", action="store_true", help="print one JSON line (for the bench runner)")

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("bench_notifications is refused under production settings.")
        if connection.vendor == "sqlite" and connection.settings_dict["NAME"] in ("", ":memory:"):
            raise CommandError("bench_notifications needs a database file or PostgreSQL shared by processes.")
        if queries.waiting().exists():
            raise CommandError("Messages are waiting for delivery in this database; the bench would send them.")
        run = uuid.uuid4().hex[:12]
        gateway, ports = self._start_gateway()
        try:
            self._control(ports[1], "/control", {"delay": options["gateway_delay"]})
            queued = self._queue(run, options["messages"])
            elapsed = self._deliver(ports[0], options, run)
            stats = self._control(ports[1], "/stats", None)
        finally:
            gateway.kill()
            gateway.wait()
            if not options["keep"]:
                Message.objects.filter(object_type=BENCH_OBJECT, object_id=run).delete()
        self._report(options, queued, elapsed, stats)

    def _start_gateway(self) -> tuple[subprocess.Popen[str], tuple[int, int]]:
        process = subprocess.Popen(
            [sys.executable, "-m", "govhall.notifications.tests.fake_gateway", "--secret", "bench-secret"],
            env={**os.environ, "PYTHONPATH": str(SRC)},
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        words = process.stdout.readline().split()
        if not words or words[0] != "READY":
            process.kill()
            raise CommandError("the fake gateway did not start")
        return process, (int(words[1]), int(words[2]))

    def _control(self, port: int, path: str, data: dict[str, Any] | None) -> dict[str, Any]:
        body = None if data is None else json.dumps(data).encode()
        request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=body)
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (the local fake gateway)
            return json.loads(response.read())

    def _queue(self, run: str, count: int) -> int:
        services.ensure_templates()
        context = {"number": "2201002026112400001", "item": "食品经营许可（新办）", "progress": "待受理"}
        with override_settings(SMS_ENQUEUE_HINT=False), transaction.atomic():  # the bench workers deliver
            for number in range(count):
                services.send(
                    "application_receipt",
                    f"139{number % 10**8:08d}",
                    context,
                    dedupe_key=f"bench:{run}:{number}",
                    obj=(BENCH_OBJECT, run),
                )
        return count

    def _deliver(self, sms_port: int, options: dict[str, Any], run: str) -> float:
        env = {
            **os.environ,
            "DATABASE_URL": _database_url(),
            "SMS_GATEWAYS": "bench",
            "SMS_GATEWAY_BENCH_PLUGIN": "http",
            "SMS_GATEWAY_BENCH_URL": f"http://127.0.0.1:{sms_port}/sms",
            "SMS_GATEWAY_BENCH_SECRET": "bench-secret",
            "SMS_QUIET_HOURS": "",
            "SMS_ENQUEUE_HINT": "0",
            "LOG_LEVEL": "WARNING",
        }
        command = [sys.executable, str(MANAGE), "deliver_messages", "--loop", "--stop-when-idle", "--sleep", "0.05"]
        command += ["--batch", str(options["batch"]), "--max-seconds", "600"]
        if options["threads"]:
            env["SMS_WORKER_THREADS"] = str(options["threads"])
        started = time.monotonic()
        processes = [
            subprocess.Popen([*command, "--worker-id", f"bench-{n}"], env=env, stdout=subprocess.DEVNULL)  # noqa: S603
            for n in range(options["workers"])
        ]
        for process in processes:
            if process.wait() != 0:
                raise CommandError(f"a worker failed with exit code {process.returncode}")
        elapsed = time.monotonic() - started
        undelivered = Message.objects.filter(object_type=BENCH_OBJECT, object_id=run).exclude(status=Status.SENDING)
        if undelivered.exists():
            raise CommandError(f"{undelivered.count()} bench message(s) were not delivered")
        return elapsed

    def _report(self, options: dict[str, Any], queued: int, elapsed: float, stats: dict[str, Any]) -> None:
        received = [seen["received_at"] for seen in stats["accepted"].values()]
        steady = max(received) - min(received) if len(received) > 1 else elapsed
        result = {
            "scenario": "notifications",
            "database": connection.vendor,
            "messages": queued,
            "workers": options["workers"],
            "threads_per_worker": options["threads"] or settings.SMS_WORKER_THREADS,
            "gateway_delay": options["gateway_delay"],
            "seconds": round(steady, 3),
            "seconds_with_startup": round(elapsed, 3),
            "messages_per_second": round(queued / steady, 1),  # first to last message at the gateway
            "messages_per_second_with_startup": round(queued / elapsed, 1),
            "gateway_requests": stats["total_requests"],
            "gateway_distinct": stats["distinct"],
        }
        if options["json"]:
            self.stdout.write(json.dumps(result))
            return
        self.stdout.write(
            f"{queued} messages, {options['workers']} workers, {connection.vendor}: "
            f"{result['messages_per_second']} msgs/s ({steady:.2f} s from first to last message at the gateway; "
            f"{result['messages_per_second_with_startup']} msgs/s over {elapsed:.2f} s including worker start-up); "
            f"gateway saw {stats['total_requests']} requests for {stats['distinct']} distinct messages"
        )
