"""Real worker processes against PostgreSQL and a real fake-gateway process (Art. 11: never lose,
never double a receipt). Skipped on SQLite: an in-memory test database cannot be shared."""

from __future__ import annotations

import collections
import io
import signal

import pytest
from django.db import connection, transaction

from govhall.notifications import services
from govhall.notifications.models import Message, Status
from govhall.notifications.tests.conftest import start_worker, wait_for

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs a database shared by several processes"),
    pytest.mark.django_db(transaction=True),
]

RECEIPT = {"number": "2201002026112400001", "item": "食品经营许可（新办）", "progress": "待受理"}


def queue(count: int) -> list[str]:
    """Commit ``count`` receipts to different numbers; return their idempotency keys."""
    with transaction.atomic():
        messages = [
            services.send("application_receipt", f"139{n:08d}", RECEIPT, dedupe_key=f"receipt:{n}")
            for n in range(count)
        ]
    return [str(message.uuid) for message in messages]


def finish(process) -> str:
    _, errors = process.communicate(timeout=120)
    assert process.returncode == 0, errors
    return errors


def test_a_thousand_messages_two_workers_each_delivered_exactly_once(fake_gateway, workers):
    keys = queue(1000)
    fake_gateway.control(delay=0.001)  # a provider answers in a millisecond or more: lets the workers overlap
    workers += [start_worker("worker-a", fake_gateway), start_worker("worker-b", fake_gateway)]
    for process in workers:
        finish(process)

    stats = fake_gateway.stats()
    assert set(stats["accepted"]) == set(keys)  # every message reached the gateway...
    assert stats["total_requests"] == 1000  # ...in exactly one request: no claim was ever shared
    assert set(stats["requests_per_key"].values()) == {1}
    assert Message.objects.filter(status=Status.SENDING, attempts=1).count() == 1000
    by_worker = collections.Counter(Message.objects.values_list("leased_by", flat=True))
    assert set(by_worker) == {"worker-a", "worker-b"}, f"the workers did not overlap: {by_worker}"


def test_a_worker_killed_mid_delivery_loses_nothing_and_doubles_nothing(fake_gateway, workers):
    keys = queue(5)
    fake_gateway.control(delay=1.0)  # the kill lands while the first request is in flight
    timing = {"lease": 2.5, "timeout": 1.5, "connect_timeout": 0.5, "threads": 1}  # one call in flight
    doomed = start_worker("doomed", fake_gateway, **timing)
    workers.append(doomed)
    wait_for(lambda: fake_gateway.stats()["total_requests"] == 1, timeout=30, interval=0.01)
    doomed.send_signal(signal.SIGKILL)
    doomed.wait(timeout=10)
    assert doomed.returncode == -signal.SIGKILL
    leased = Message.objects.filter(leased_by="doomed", status=Status.CREATED).count()
    assert leased == 5  # the whole claimed batch is stranded under the dead worker's lease

    fake_gateway.control(delay=0)
    rescuer = start_worker("rescuer", fake_gateway, **timing)
    workers.append(rescuer)
    finish(rescuer)

    stats = fake_gateway.stats()
    assert set(stats["accepted"]) == set(keys)
    assert stats["distinct"] == 5
    interrupted = [key for key, count in stats["requests_per_key"].items() if count == 2]
    assert len(interrupted) == 1
    assert stats["total_requests"] == 6
    assert set(Message.objects.values_list("status", "leased_by", "attempts")) == {(Status.SENDING, "rescuer", 1)}
    message = Message.objects.get(uuid=interrupted[0])
    assert message.provider_message_id == stats["accepted"][interrupted[0]]["message_id"]


def test_gateway_outage_with_real_workers_retries_then_delivers(fake_gateway, workers):
    keys = queue(20)
    fake_gateway.control(fail=15)  # the first fifteen calls get an error answer
    workers += [start_worker("worker-a", fake_gateway), start_worker("worker-b", fake_gateway)]
    for process in workers:
        finish(process)
    stats = fake_gateway.stats()
    assert set(stats["accepted"]) == set(keys)
    assert stats["total_requests"] == 35
    assert Message.objects.filter(status=Status.SENDING).count() == 20


def test_the_benchmark_command_runs_end_to_end():
    import json

    from django.core.management import call_command

    out = io.StringIO()
    call_command("bench_notifications", "--messages", "60", "--workers", "2", "--json", stdout=out)
    result = json.loads(out.getvalue())
    assert (result["messages"], result["gateway_distinct"], result["gateway_requests"]) == (60, 60, 60)
    assert result["messages_per_second"] > 0
    assert not Message.objects.exists()  # the bench cleans up after itself
