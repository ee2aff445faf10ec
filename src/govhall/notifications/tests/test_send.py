"""``send``: a row in the caller's transaction, deduplicated, rate-limited, held in quiet hours."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from govhall.core.crypto import blind_index
from govhall.notifications import delivery, limits, queries, services
from govhall.notifications.models import Message, Status

BEIJING = ZoneInfo("Asia/Shanghai")
MOBILE = "13900000001"
RECEIPT = {"number": "2201002026112400001", "item": "食品经营许可（新办）", "progress": "待受理"}

pytestmark = pytest.mark.django_db


def at(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text).replace(tzinfo=BEIJING)


def test_send_writes_an_encrypted_message_row(console_gateway):
    message = services.send("application_receipt", MOBILE, RECEIPT, obj=("applications.application", 7))
    assert message.status == Status.CREATED
    assert message.recipient_hash == blind_index(MOBILE, "mobile")
    assert message.params == RECEIPT
    assert "2201002026112400001" in message.text
    with connection.cursor() as cursor:
        cursor.execute("SELECT recipient, text, params_sealed FROM notifications_message WHERE id = %s", [message.pk])
        raw = " ".join(cursor.fetchone())
    assert MOBILE not in raw
    assert "2201002026112400001" not in raw
    assert list(queries.messages_for(("applications.application", 7))) == [message]


def test_a_user_recipient_uses_their_mobile_and_language(django_user_model, console_gateway):
    user = django_user_model.objects.create(username="u1", kind="person", name="张三", mobile=MOBILE)
    assert services.send("reply_notice", user, {"kind": "咨询", "number": "ZX1"}).recipient == MOBILE
    user.preferred_language = "en"
    assert services.send("reply_notice", user, {"kind": "consultation", "number": "ZX2"}).text.startswith("[Changchun")
    user.mobile = ""
    with pytest.raises(ValidationError, match="未登记手机号码"):
        services.send("reply_notice", user, {"kind": "咨询", "number": "ZX3"})


def test_an_invalid_number_or_a_missing_parameter_is_refused(console_gateway):
    with pytest.raises(ValidationError, match="11位"):
        services.send("reply_notice", "12345", {"kind": "咨询", "number": "1"})
    with pytest.raises(ValueError, match="number"):
        services.send("reply_notice", MOBILE, {"kind": "咨询"})


@transaction.atomic
def submit_and_fail() -> None:
    """A business transaction that queues its receipt and then fails."""
    services.send("application_receipt", MOBILE, RECEIPT, dedupe_key="receipt:1")
    raise RuntimeError("the submission failed")


def test_rollback_leaves_no_row_and_nothing_is_delivered(fake_gateway, django_capture_on_commit_callbacks, settings):
    settings.SMS_ENQUEUE_HINT = True
    with django_capture_on_commit_callbacks() as hints, pytest.raises(RuntimeError):
        submit_and_fail()
    assert not Message.objects.exists()
    assert hints == []  # not even the hint to start early
    assert delivery.deliver_due("w1") == 0
    assert fake_gateway.stats()["total_requests"] == 0


def test_one_hint_per_transaction_however_many_messages(console_gateway, settings, django_capture_on_commit_callbacks):
    settings.SMS_ENQUEUE_HINT = True
    with django_capture_on_commit_callbacks() as hints, transaction.atomic():
        for number in range(3):
            services.send("reply_notice", MOBILE, {"kind": "咨询", "number": number})
    assert len(hints) == 1


def test_a_repeated_dedupe_key_returns_the_same_row(console_gateway):
    first = services.send("application_receipt", MOBILE, RECEIPT, dedupe_key="receipt:42")
    again = services.send("application_receipt", MOBILE, RECEIPT, dedupe_key="receipt:42")
    assert again.pk == first.pk
    assert Message.objects.count() == 1


@pytest.mark.parametrize(
    ("now", "template", "expected"),
    [
        ("2026-11-24 23:10", "deadline_warning", "2026-11-25 08:00"),  # held until the morning
        ("2026-11-25 03:00", "deadline_warning", "2026-11-25 08:00"),  # not at 03:00
        ("2026-11-25 08:00", "deadline_warning", "2026-11-25 08:00"),  # quiet hours are over
        ("2026-11-24 21:59", "deadline_warning", "2026-11-24 21:59"),
        ("2026-11-24 23:10", "verification_code", "2026-11-24 23:10"),  # codes are urgent
        ("2026-11-24 23:10", "correction_notice", "2026-11-24 23:10"),  # a legal notice is urgent
    ],
)
def test_quiet_hours_hold_non_urgent_messages(console_gateway, settings, now, template, expected):
    settings.SMS_QUIET_HOURS = "22:00-08:00"
    context = {"number": "1", "item": "事项", "deadline": "明天", "code": "123456", "minutes": 5}
    with time_machine.travel(at(now), tick=False):
        message = services.send(template, MOBILE, context)
    assert message.next_attempt_at == at(expected)


def test_an_urgent_flag_overrides_quiet_hours(console_gateway, settings):
    settings.SMS_QUIET_HOURS = "22:00-08:00"
    with time_machine.travel(at("2026-11-24 23:10"), tick=False):
        message = services.send(
            "deadline_warning", MOBILE, {"number": "1", "item": "事项", "deadline": "明天"}, urgent=True
        )
    assert message.urgent
    assert message.next_attempt_at == at("2026-11-24 23:10")


def test_a_worker_holds_back_a_non_urgent_message_it_finds_in_quiet_hours(console_gateway, settings):
    with time_machine.travel(at("2026-11-24 21:59"), tick=False):
        message = services.send("deadline_warning", MOBILE, {"number": "1", "item": "事项", "deadline": "明天"})
    settings.SMS_QUIET_HOURS = "22:00-08:00"
    with time_machine.travel(at("2026-11-24 22:01"), tick=False):
        assert delivery.deliver_due("w1") == 1
    message.refresh_from_db()
    assert (message.status, message.attempts, message.next_attempt_at) == (Status.CREATED, 0, at("2026-11-25 08:00"))
    with time_machine.travel(at("2026-11-25 08:00:01"), tick=False):
        delivery.deliver_due("w1")
    message.refresh_from_db()
    assert message.status == Status.DELIVERED


def code(number: str = MOBILE) -> Message:
    return services.send("verification_code", number, {"code": "123456", "minutes": 5})


def test_one_code_per_number_per_minute(console_gateway):
    with time_machine.travel(at("2026-11-24 10:00"), tick=False):
        code()
        with pytest.raises(ValidationError) as refused:
            code()
        code("13900000002")  # another number is not affected
    assert refused.value.messages == ["发送过于频繁，请60秒后再试"]
    with time_machine.travel(at("2026-11-24 10:01:01"), tick=False):
        code()


def test_at_most_five_codes_per_number_per_hour(console_gateway):
    for minute in range(5):
        with time_machine.travel(at(f"2026-11-24 10:{minute * 2:02d}"), tick=False):
            code()
    with time_machine.travel(at("2026-11-24 10:30"), tick=False), pytest.raises(ValidationError, match="一小时"):
        code()
    assert Message.objects.count() == 5


def test_a_hall_wide_limit_stops_bombing_many_numbers(console_gateway, settings):
    settings.SMS_CODE_GLOBAL_MAX_PER_MINUTE = 3
    with time_machine.travel(at("2026-11-24 10:00:05"), tick=False):
        for number in range(3):
            code(f"1390000001{number}")
        with pytest.raises(ValidationError, match="繁忙"):
            code("13900000019")


def test_business_messages_are_never_rate_limited(console_gateway):
    for number in range(8):
        services.send("application_receipt", MOBILE, RECEIPT, dedupe_key=f"receipt:{number}")
    assert Message.objects.count() == 8


def test_the_delivery_limit_caps_all_workers_together(console_gateway, settings):
    settings.SMS_DELIVERY_MAX_PER_MINUTE = 3
    with time_machine.travel(at("2026-11-24 10:00:05"), tick=False):
        assert delivery.deliver_due("idle") == 0  # an empty claim reserves nothing
        for number in range(5):
            services.send("reply_notice", MOBILE, {"kind": "咨询", "number": number})
        assert delivery.deliver_due("w1") == 3
        assert delivery.deliver_due("w2") == 0
    with time_machine.travel(at("2026-11-24 10:01:05"), tick=False):
        assert delivery.deliver_due("w1") == 2


def test_quiet_hours_can_be_switched_off(settings):
    settings.SMS_QUIET_HOURS = ""
    assert limits.quiet_until(at("2026-11-24 23:00")) is None
