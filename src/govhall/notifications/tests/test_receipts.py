"""Delivery receipts: signed, fresh, applied once, never letting an older status win."""

from __future__ import annotations

import datetime
import json
import time

import pytest
from django.test import Client

from govhall.notifications import delivery, services
from govhall.notifications.contrib.http import signing
from govhall.notifications.models import DeliveryReceipt, Message, Status
from govhall.notifications.tests import fake_gateway as fake

pytestmark = pytest.mark.django_db

URL = "/notifications/receipts/fake/"
RECEIPT = {"number": "2201002026112400001", "item": "食品经营许可（新办）", "progress": "待受理"}
T0 = datetime.datetime(2026, 11, 24, 2, 0, 0, tzinfo=datetime.UTC)


@pytest.fixture
def sent(fake_gateway) -> Message:
    """A message the fake gateway accepted (status 'sending')."""
    message = services.send("application_receipt", "13900000001", RECEIPT)
    delivery.deliver_due("w1")
    message.refresh_from_db()
    assert message.status == Status.SENDING
    return message


def post(client: Client, body: bytes, secret: str, *, now: float | None = None, url: str = URL):
    headers = fake.signed_headers(secret, body, now=now)
    return client.post(
        url,
        body,
        content_type="application/json",
        headers={name: value for name, value in headers.items() if name != "Content-Type"},
    )


def receipt_for(message: Message, status: str, occurred_at: datetime.datetime, receipt_id: str | None = None) -> dict:
    item = fake.make_receipt(str(message.uuid), message.provider_message_id, status, occurred_at.isoformat())
    if receipt_id:
        item["receipt_id"] = receipt_id
    return item


def test_both_sides_compute_the_same_signature():
    body = b'{"receipts": []}'
    assert fake.sign("s", "1700000000", body) == signing.signature("s", "1700000000", body)


def test_a_genuine_receipt_marks_the_message_delivered(sent, fake_gateway):
    client = Client(enforce_csrf_checks=True)  # a provider has no CSRF cookie: the view is exempt
    response = post(client, fake.receipt_body([receipt_for(sent, "delivered", T0)]), fake_gateway.secret)
    assert response.status_code == 200
    assert response.json() == {"results": ["applied"]}
    sent.refresh_from_db()
    assert (sent.status, sent.delivered_at) == (Status.DELIVERED, T0)


def test_a_forged_receipt_is_rejected(sent, client):
    response = post(client, fake.receipt_body([receipt_for(sent, "delivered", T0)]), "guessed-secret")
    assert response.status_code == 403
    sent.refresh_from_db()
    assert sent.status == Status.SENDING
    assert not DeliveryReceipt.objects.exists()


def test_a_tampered_body_is_rejected(sent, client, fake_gateway):
    body = fake.receipt_body([receipt_for(sent, "failed", T0)])
    headers = fake.signed_headers(fake_gateway.secret, body)
    tampered = body.replace(b'"failed"', b'"delivered"')
    response = client.post(
        URL, tampered, content_type="application/json",
        headers={k: v for k, v in headers.items() if k != "Content-Type"},
    )  # fmt: skip
    assert response.status_code == 403


def test_a_receipt_replayed_after_the_time_window_is_rejected(sent, client, fake_gateway, settings):
    body = fake.receipt_body([receipt_for(sent, "delivered", T0)])
    stale = time.time() - settings.SMS_RECEIPT_MAX_AGE_SECONDS - 5
    assert post(client, body, fake_gateway.secret, now=stale).status_code == 403


def test_a_duplicate_or_replayed_receipt_is_applied_once(sent, client, fake_gateway):
    body = fake.receipt_body([receipt_for(sent, "delivered", T0, receipt_id="r-1")])
    assert post(client, body, fake_gateway.secret).json() == {"results": ["applied"]}
    assert post(client, body, fake_gateway.secret).json() == {"results": ["duplicate"]}
    assert DeliveryReceipt.objects.count() == 1


def test_an_older_receipt_arriving_late_never_overwrites_delivered(sent, client, fake_gateway):
    later, earlier = T0, T0 - datetime.timedelta(seconds=30)
    body = fake.receipt_body(
        [
            receipt_for(sent, "delivered", later),
            receipt_for(sent, "sending", earlier),
            receipt_for(sent, "failed", earlier),
        ]
    )
    assert post(client, body, fake_gateway.secret).json() == {"results": ["applied", "stale", "stale"]}
    sent.refresh_from_db()
    assert (sent.status, sent.delivered_at, sent.failed_at) == (Status.DELIVERED, later, None)


def test_a_newer_delivered_receipt_follows_an_earlier_temporary_failure(sent, client, fake_gateway):
    body = fake.receipt_body(
        [receipt_for(sent, "temporary_failure", T0), receipt_for(sent, "delivered", T0 + datetime.timedelta(minutes=2))]
    )
    assert post(client, body, fake_gateway.secret).json() == {"results": ["applied", "applied"]}
    sent.refresh_from_db()
    assert sent.status == Status.DELIVERED


def test_a_permanent_failure_receipt_is_final_and_visible(sent, client, fake_gateway):
    post(client, fake.receipt_body([receipt_for(sent, "failed", T0)]), fake_gateway.secret)
    sent.refresh_from_db()
    assert (sent.status, sent.failed_at) == (Status.PERMANENT_FAILURE, T0)
    assert sent.is_failed
    assert "永久失败" in sent.last_error


def test_a_receipt_for_an_unknown_message_is_acknowledged_and_ignored(sent, client, fake_gateway):
    item = fake.make_receipt("7f0c1d7e-0000-4000-8000-000000000000", "x", "delivered")
    assert post(client, fake.receipt_body([item]), fake_gateway.secret).json() == {"results": ["unknown"]}


def test_a_receipt_through_another_gateway_is_ignored(sent, client, backup_gateway, settings, fake_gateway):
    settings.SMS_GATEWAYS = [fake_gateway.config(), backup_gateway.config("backup")]
    body = fake.receipt_body([receipt_for(sent, "delivered", T0)])
    response = post(client, body, backup_gateway.secret, url="/notifications/receipts/backup/")
    assert response.json() == {"results": ["foreign"]}
    sent.refresh_from_db()
    assert sent.status == Status.SENDING


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"not json", 400),
        (json.dumps({"receipts": [{"receipt_id": "1", "status": "delivered"}]}).encode(), 400),
        (
            json.dumps(
                {"receipts": [{"receipt_id": "1", "status": "exploded", "occurred_at": T0.isoformat()}]}
            ).encode(),
            400,
        ),
        (
            json.dumps(
                {"receipts": [{"receipt_id": "1", "status": "delivered", "occurred_at": "2026-11-24T10:00:00"}]}
            ).encode(),
            400,
        ),
    ],
)
def test_malformed_receipts_are_refused(sent, client, fake_gateway, body, status):
    assert post(client, body, fake_gateway.secret).status_code == status


def test_unknown_gateways_and_gets_are_refused(sent, client, fake_gateway, settings):
    body = fake.receipt_body([])
    assert post(client, body, fake_gateway.secret, url="/notifications/receipts/nope/").status_code == 404
    assert client.get(URL).status_code == 405
    settings.SMS_GATEWAYS = [{"name": "console", "plugin": "console"}]
    assert post(client, body, fake_gateway.secret, url="/notifications/receipts/console/").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_the_fake_gateway_calls_back_over_http(fake_gateway, live_server):
    """End to end: the gateway process signs and POSTs the receipt to the running app."""
    message = services.send("application_receipt", "13900000001", RECEIPT)
    delivery.deliver_due("w1")
    answer = fake_gateway.send_receipts(f"{live_server.url}{URL}", [str(message.uuid)], "delivered")
    assert answer == {"status": 200, "body": {"results": ["applied"]}}
    message.refresh_from_db()
    assert message.status == Status.DELIVERED
