"""Appending: what ``record`` stores, and that the chain it builds verifies."""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from decimal import Decimal

import pytest
from django.db import transaction
from django.test import RequestFactory

from govhall.core import audit
from govhall.core.audit.chain import GENESIS_HASH
from govhall.core.audit.models import AuditChainHead, AuditCheckpoint, AuditEvent
from govhall.core.audit.services import record, snapshot
from govhall.core.audit.tests.conftest import StubUser
from govhall.core.audit.verify import verify_chain

pytestmark = pytest.mark.django_db


def test_chain_builds_and_verifies(make_chain):
    events = make_chain(25)

    assert [event.id for event in events] == list(range(1, 26))
    assert events[0].prev_hash == GENESIS_HASH
    assert all(later.prev_hash == earlier.hash for earlier, later in itertools.pairwise(events))
    result = verify_chain()
    assert result.ok, result.message()
    assert result.message() == "OK: 25 events, 2 checkpoints"


def test_empty_chain_verifies():
    assert verify_chain().message() == "OK: 0 events, 0 checkpoints"


def test_json_values_are_made_safe_before_hashing_and_survive_the_database():
    after = {
        "when": dt.datetime(2026, 12, 31, 23, 59, 59, 123456, tzinfo=dt.UTC),
        "day": dt.date(2027, 2, 10),
        "amount": Decimal("0.10"),
        "ratio": 0.1,
        "huge": 1e20,
        "nan": float("nan"),
        "id": uuid.UUID(int=5),
        3: "int key",
        "nul": "a\x00b",
        "z": {"b": 1, "a": [2, 1]},
    }
    record("system", "test.json", after=after)

    stored = AuditEvent.objects.get().after
    assert stored["amount"] == "0.10"
    assert stored["ratio"] == "0.1"
    assert stored["huge"] == "1e+20"
    assert stored["nan"] == "NaN"
    assert stored["3"] == "int key"
    assert stored["nul"] == "a\ufffdb"
    assert stored["day"] == "2027-02-10"
    assert verify_chain().ok


def test_actor_user_string_system_and_anonymous():
    request = RequestFactory().get("/")
    user_event = record(StubUser(42, "li.na"), "account.login", request=request)
    label_event = record("sms-gateway", "notification.sent")
    system_event = record(None, "workdays.year_published")
    anonymous_event = record(None, "account.login_failed", request=request)

    assert (user_event.actor_id, user_event.actor_label) == (42, "li.na")
    assert (label_event.actor_id, label_event.actor_label) == (None, "sms-gateway")
    assert system_event.actor_label == "system"
    assert anonymous_event.actor_label == "anonymous"


def test_request_gives_client_ip_and_truncated_user_agent():
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.9", HTTP_USER_AGENT="M" * 900)
    request.client_ip = "::ffff:203.0.113.7"  # set by ClientIPMiddleware from the trusted proxy

    event = record(None, "account.login", request=request)

    assert event.ip == "203.0.113.7"
    assert len(event.user_agent) == 500
    assert record(None, "account.login", request=RequestFactory().get("/", REMOTE_ADDR="2001:DB8::1")).ip == (
        "2001:db8::1"
    )
    assert verify_chain().ok


def test_object_as_model_instance_or_pair():
    head = AuditChainHead(pk=1, last_event_id=0, last_hash=GENESIS_HASH)

    by_instance = record("system", "test.object", head)
    by_pair = record("system", "test.object", ("applications.application", 99))

    assert (by_instance.object_type, by_instance.object_id) == ("audit.auditchainhead", "1")
    assert (by_pair.object_type, by_pair.object_id) == ("applications.application", "99")


@pytest.mark.parametrize("action", ["accepted", "Application.Accepted", "application.", "a b.c", ""])
def test_action_must_be_dotted_lower_case(action):
    with pytest.raises(ValueError, match="dotted"):
        record("system", action)
    assert not AuditEvent.objects.exists()


def test_over_long_scope_is_refused_not_truncated():
    with pytest.raises(ValueError, match="scope"):
        record("system", "test.long", scope="department:" + "9" * 80)


def test_event_rolls_back_with_the_callers_transaction_and_the_chain_stays_gap_free(make_chain):
    make_chain(3)

    def business_transaction_that_fails_after_auditing():
        with transaction.atomic():
            record("system", "application.accepted")
            raise RuntimeError("business rule failed after the audit")

    with pytest.raises(RuntimeError):
        business_transaction_that_fails_after_auditing()

    assert AuditEvent.objects.count() == 3
    assert record("system", "application.accepted").id == 4
    assert verify_chain().ok


def test_checkpoint_every_n_events_is_signed_in_the_same_transaction(make_chain):
    make_chain(25)

    checkpoints = list(AuditCheckpoint.objects.order_by("last_event_id"))
    assert [(cp.last_event_id, cp.event_count) for cp in checkpoints] == [(10, 10), (20, 20)]
    assert checkpoints[1].head_hash == AuditEvent.objects.get(pk=20).hash


def test_missing_head_row_is_rebuilt_from_the_events(make_chain):
    make_chain(3)
    AuditChainHead.objects.all().delete()  # the head is a mutable cache; a flush also empties it

    assert record("system", "test.after_head_loss").id == 4
    assert verify_chain().ok


def test_lazy_package_exports():
    assert audit.record is record
    with pytest.raises(AttributeError):
        audit.nothing_here  # noqa: B018


def test_snapshot_reads_fields_and_foreign_keys_by_id():
    head = AuditChainHead(pk=1, last_event_id=5, last_hash="f" * 64)
    assert snapshot(head, ["last_event_id", "last_hash"]) == {"last_event_id": 5, "last_hash": "f" * 64}
