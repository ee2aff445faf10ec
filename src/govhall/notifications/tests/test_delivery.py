"""The worker against a real fake-gateway process: leases, idempotency, retries, failover."""

from __future__ import annotations

import datetime
import time

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from govhall.notifications import delivery, services
from govhall.notifications.models import Message, Status
from govhall.notifications.tests.conftest import refused_port

pytestmark = pytest.mark.django_db

MOBILE = "13900000001"
RECEIPT = {"number": "2201002026112400001", "item": "食品经营许可（新办）", "progress": "待受理"}


def receipt(number: int = 1) -> Message:
    return services.send("application_receipt", MOBILE, RECEIPT, dedupe_key=f"receipt:{number}")


def run_until_settled(rounds: int = 40) -> None:
    """Run the worker until no message is waiting (retries are due within a fraction of a second)."""
    for _ in range(rounds):
        delivery.deliver_due("w1")
        if not Message.objects.filter(
            status__in=["created", "temporary_failure"], next_attempt_at__isnull=False
        ).exists():
            return
        time.sleep(0.05)


def test_a_message_reaches_the_gateway_signed_with_its_uuid_as_idempotency_key(fake_gateway):
    message = receipt()
    assert delivery.deliver_due("w1") == 1
    message.refresh_from_db()
    stats = fake_gateway.stats()
    seen = stats["accepted"][str(message.uuid)]
    assert (seen["mobile"], seen["template_id"], seen["params"]) == (MOBILE, "SMS_CC_0002", RECEIPT)
    assert seen["sign_name"] == "长春市网上办事大厅"
    assert stats["bad_signatures"] == 0
    assert message.status == Status.SENDING  # accepted; the receipt will say delivered
    assert (message.provider, message.provider_message_id, message.attempts) == ("fake", seen["message_id"], 1)
    assert message.sent_at is not None
    assert message.lease_expires_at is None


def test_a_wrong_secret_is_refused_by_the_gateway_and_retried(fake_gateway, settings):
    settings.SMS_GATEWAYS = [fake_gateway.config(secret="not-the-secret")]
    message = receipt()
    delivery.deliver_due("w1")
    message.refresh_from_db()
    assert fake_gateway.stats()["bad_signatures"] == 1
    assert message.status == Status.TEMPORARY_FAILURE
    assert "401" in message.last_error


def test_gateway_down_for_a_while_then_delivered(fake_gateway):
    fake_gateway.control(fail=2)  # two error answers before accepting anything
    message = receipt()
    run_until_settled()
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.SENDING, 3)
    stats = fake_gateway.stats()
    assert stats["total_requests"] == 3
    assert stats["distinct"] == 1


def test_refused_connections_are_retried_until_the_gateway_is_back(fake_gateway):
    fake_gateway.control(down=0.3)  # connections refused for 0.3 s
    message = receipt()
    delivery.deliver_due("w1")
    message.refresh_from_db()
    assert message.status == Status.TEMPORARY_FAILURE
    assert "connect failed" in message.last_error
    time.sleep(0.4)
    run_until_settled()
    message.refresh_from_db()
    assert message.status == Status.SENDING
    assert fake_gateway.stats()["distinct"] == 1


def test_down_past_the_limit_ends_in_a_technical_failure(fake_gateway, settings):
    fake_gateway.control(fail=100)
    message = receipt()
    run_until_settled()
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.TECHNICAL_FAILURE, settings.SMS_MAX_ATTEMPTS)
    assert message.failed_at is not None
    assert message.next_attempt_at is None
    assert "HTTP 500" in message.last_error
    assert message.is_failed


def test_backoff_grows_exponentially_with_jitter(settings):
    settings.SMS_BACKOFF_BASE_SECONDS = 10
    settings.SMS_BACKOFF_MAX_SECONDS = 60
    for attempts, low, high in [(1, 5, 10), (2, 10, 20), (3, 20, 40), (4, 30, 60), (9, 30, 60)]:
        delays = {delivery._backoff(attempts) for _ in range(20)}
        assert all(low <= delay <= high for delay in delays)
        assert len(delays) > 1  # jittered: retries of many messages do not stampede together


def test_a_definite_failure_fails_over_to_the_second_gateway(fake_gateway, backup_gateway, settings):
    settings.SMS_GATEWAYS = [
        {**fake_gateway.config("primary"), "url": f"http://127.0.0.1:{refused_port()}/sms"},
        backup_gateway.config("backup"),
    ]
    message = receipt()
    delivery.deliver_due("w1")
    message.refresh_from_db()
    assert (message.status, message.provider, message.attempts) == (Status.SENDING, "backup", 1)
    assert backup_gateway.stats()["distinct"] == 1


def test_an_error_answer_before_acceptance_fails_over(fake_gateway, backup_gateway, settings):
    settings.SMS_GATEWAYS = [fake_gateway.config("primary"), backup_gateway.config("backup")]
    fake_gateway.control(fail=1, fail_status=503)
    message = receipt()
    delivery.deliver_due("w1")
    message.refresh_from_db()
    assert message.provider == "backup"
    assert fake_gateway.stats()["distinct"] == 0
    assert backup_gateway.stats()["distinct"] == 1


def test_a_timeout_never_fails_over_and_is_retried_on_the_same_gateway(fake_gateway, backup_gateway, settings):
    settings.SMS_GATEWAYS = [fake_gateway.config("primary", timeout=0.3), backup_gateway.config("backup")]
    fake_gateway.control(delay=1.0)  # accepted, but the answer comes after the client gave up
    message = receipt()
    delivery.deliver_due("w1")
    message.refresh_from_db()
    assert (message.status, message.provider) == (Status.TEMPORARY_FAILURE, "primary")
    assert "timed out" in message.last_error
    assert backup_gateway.stats()["total_requests"] == 0  # it may have been delivered: no failover
    fake_gateway.control(delay=0)
    run_until_settled()
    message.refresh_from_db()
    assert (message.status, message.provider) == (Status.SENDING, "primary")
    stats = fake_gateway.stats()
    assert stats["requests_per_key"][str(message.uuid)] == 2
    assert stats["distinct"] == 1
    assert backup_gateway.stats()["total_requests"] == 0


def test_a_dropped_answer_is_retried_with_the_same_key_and_delivered_once(fake_gateway):
    fake_gateway.control(drop=1)
    message = receipt()
    run_until_settled()
    message.refresh_from_db()
    assert message.status == Status.SENDING
    assert message.attempts == 2
    stats = fake_gateway.stats()
    assert stats["total_requests"] == 2
    assert stats["distinct"] == 1


def test_a_refused_message_is_a_permanent_failure_without_failover(fake_gateway, backup_gateway, settings):
    settings.SMS_GATEWAYS = [fake_gateway.config("primary"), backup_gateway.config("backup")]
    fake_gateway.control(fail=1, fail_status=400)
    message = receipt()
    delivery.deliver_due("w1")
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.PERMANENT_FAILURE, 1)
    assert backup_gateway.stats()["total_requests"] == 0


def test_a_leased_message_is_not_claimed_twice_until_the_lease_expires(fake_gateway):
    message = receipt()
    first = delivery.claim("w1", 10, lease_seconds=30)
    assert [m.pk for m in first] == [message.pk]
    assert delivery.claim("w2", 10, lease_seconds=30) == []
    Message.objects.filter(pk=message.pk).update(lease_expires_at=timezone.now() - datetime.timedelta(seconds=1))
    second = delivery.claim("w2", 10, lease_seconds=30)
    assert [m.leased_by for m in second] == ["w2"]
    # w1 comes back from a long pause: its lease is gone, so its outcome is not recorded.
    assert delivery.record(first[0], delivery.Outcome(Status.SENDING, "fake", "x")) is False
    assert delivery.record(second[0], delivery.Outcome(Status.SENDING, "fake", "y")) is True
    message.refresh_from_db()
    assert message.provider_message_id == "y"


def test_claims_take_urgent_messages_first_and_respect_the_batch(fake_gateway):
    non_urgent = [services.send("reply_notice", MOBILE, {"kind": "咨询", "number": n}) for n in range(3)]
    urgent = receipt()
    claimed = delivery.claim("w1", 2, lease_seconds=30)
    assert [m.pk for m in claimed] == [urgent.pk, non_urgent[0].pk]


def test_the_lease_must_cover_the_gateway_timeouts(fake_gateway, settings):
    receipt()
    with pytest.raises(ImproperlyConfigured, match="SMS_LEASE_SECONDS"):
        delivery.deliver_due("w1", lease_seconds=2)


def test_nothing_is_claimed_before_its_time(fake_gateway):
    message = receipt()
    Message.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now() + datetime.timedelta(minutes=5))
    assert delivery.deliver_due("w1") == 0
