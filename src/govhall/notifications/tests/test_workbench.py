"""The city office's SMS pages: statistics, failures with resend, the template editor."""

from __future__ import annotations

import pytest
from django.utils import timezone

from govhall.core.audit.models import AuditEvent
from govhall.notifications import delivery, queries, services
from govhall.notifications.models import Message, Status

pytestmark = pytest.mark.django_db

MOBILE = "13912345678"
RECEIPT = {"number": "2201002026112400001", "item": "食品经营许可（新办）", "progress": "待受理"}


@pytest.fixture
def failed(fake_gateway) -> Message:
    """A receipt that exhausted its attempts while the gateway was down."""
    fake_gateway.control(fail=100)
    message = services.send("application_receipt", MOBILE, RECEIPT, obj=("applications.application", 5))
    for _ in range(10):
        delivery.deliver_due("w1")
        Message.objects.filter(pk=message.pk).update(next_attempt_at=message.created_at)  # skip the backoff
    message.refresh_from_db()
    assert message.status == Status.TECHNICAL_FAILURE
    fake_gateway.control(fail=0)
    return message


@pytest.mark.parametrize(("username", "status"), [("city_admin", 200), ("amr_acceptor", 403), ("auditor", 403)])
def test_only_the_city_office_sees_sms_delivery(staff_client, username, status):
    assert staff_client(username).get("/workbench/notifications/").status_code == status
    assert staff_client(username).get("/workbench/notifications/templates/").status_code == status


def test_the_menu_shows_the_page_to_the_city_office(staff_client):
    html = staff_client("city_admin").get("/workbench/").content.decode()
    assert "/workbench/notifications/" in html
    assert "短信通知" in html


def test_a_terminal_failure_is_visible_with_the_number_masked(staff_client, failed):
    html = staff_client("city_admin").get("/workbench/notifications/").content.decode()
    assert f'id="message-{failed.pk}"' in html
    assert "技术故障" in html
    assert "139****5678" in html
    assert MOBILE not in html  # masked in every list
    stats = queries.statistics()
    assert dict((code, n) for code, _, n in stats.by_status)["technical_failure"] == 1


def test_resend_creates_a_linked_message_that_is_delivered_and_audited(staff_client, failed, fake_gateway):
    client = staff_client("city_admin")
    response = client.post(f"/workbench/notifications/{failed.pk}/resend/", {"reason": "网关恢复"}, follow=True)
    assert "已重新排队发送" in response.content.decode()
    new = Message.objects.get(resend_of=failed)
    assert (new.recipient, new.text, new.object_id) == (failed.recipient, failed.text, "5")
    event = AuditEvent.objects.get(action="notification.resent")
    assert (event.object_id, event.before["message"], event.reason) == (str(new.pk), failed.pk, "网关恢复")
    delivery.deliver_due("w1")
    new.refresh_from_db()
    assert new.status == Status.SENDING
    assert fake_gateway.stats()["distinct"] == 1
    # A second click does not queue another copy while the first is pending or delivered.
    response = client.post(f"/workbench/notifications/{failed.pk}/resend/", follow=True)
    assert "已经重发过" in response.content.decode()
    assert Message.objects.filter(resend_of=failed).count() == 1
    assert [m.pk for m in queries.messages_for(("applications.application", 5))] == [failed.pk, new.pk]


def test_only_failed_messages_can_be_resent_and_only_by_the_city_office(staff_client, demo, console_gateway):
    message = services.send("reply_notice", MOBILE, {"kind": "咨询", "number": "1"})
    response = staff_client("city_admin").post(f"/workbench/notifications/{message.pk}/resend/", follow=True)
    assert "只能重发发送失败的短信" in response.content.decode()
    assert staff_client("amr_acceptor").post(f"/workbench/notifications/{message.pk}/resend/").status_code == 403


def test_the_template_editor_counts_segments_and_saves_a_version(staff_client):
    client = staff_client("city_admin")
    html = client.get("/workbench/notifications/templates/verification_code/").content.decode()
    assert "每条 70 字" in html
    assert "hx-post" in html
    long_text = "【长春市网上办事大厅】" + "验证码{code}。" * 12
    preview = client.post("/workbench/notifications/templates/verification_code/preview/", {"text_zh": long_text})
    assert "按 2 条计费" in preview.content.decode()
    assert "每条 67 字" in preview.content.decode()
    bad = client.post("/workbench/notifications/templates/verification_code/preview/", {"text_zh": "{nope}"})
    assert "未知参数：nope" in bad.content.decode()
    response = client.post(
        "/workbench/notifications/templates/verification_code/",
        {
            "text_zh": "【长春市网上办事大厅】验证码{code}，{minutes}分钟有效。",
            "text_en": "",
            "provider_template_id": "SMS_9",
            "note": "缩短",
        },
        follow=True,
    )
    assert "模板已保存为新版本" in response.content.decode()
    assert services.active_template("verification_code").version == 2


def test_the_template_editor_refuses_unknown_parameters(staff_client):
    response = staff_client("city_admin").post(
        "/workbench/notifications/templates/verification_code/",
        {"text_zh": "验证码{code}{password}", "text_en": "", "provider_template_id": "x", "note": "试"},
    )
    assert "未知参数" in response.content.decode()
    assert services.active_template("verification_code").version == 1


def test_an_objects_history_reads_like_a_timeline(console_gateway):
    message = services.send("application_receipt", MOBILE, RECEIPT, obj=("applications.application", 9))
    delivery.deliver_due("w1")
    from django.template.loader import render_to_string

    html = render_to_string(
        "notifications/_history.html", {"sms_messages": queries.messages_for(("applications.application", 9))}
    )
    message.refresh_from_db()
    assert "申请回执短信" in html
    assert "已送达" in html
    assert timezone.localtime(message.delivered_at).strftime("%H:%M:%S") in html  # Beijing time
