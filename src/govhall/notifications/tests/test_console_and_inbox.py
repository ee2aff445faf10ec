"""The demo console gateway and the local SMS inbox where a newcomer reads codes."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from govhall.notifications import delivery, gateways, services, tasks
from govhall.notifications.models import Message, Status

pytestmark = pytest.mark.django_db


def test_the_console_gateway_delivers_at_once_and_the_inbox_shows_it(console_gateway, client):
    services.send("verification_code", "13900000001", {"code": "480213", "minutes": 5})
    services.send("reply_notice", "13900000002", {"kind": "咨询", "number": "ZX1"})
    assert delivery.deliver_due("w1") == 2
    assert set(Message.objects.values_list("status", flat=True)) == {Status.DELIVERED}
    html = client.get("/notifications/inbox/").content.decode()
    assert "演示短信收件箱" in html
    assert "480213" in html
    assert "13900000001" in html
    assert html.index("13900000002") < html.index("13900000001")  # newest first
    services.send("verification_code", "13900000003", {"code": "775533", "minutes": 5})
    html = client.get("/notifications/inbox/").content.decode()
    assert "775533" in html  # readable before the worker has run
    assert "等待后台任务发送" in html


def test_the_inbox_does_not_exist_without_the_console_gateway(client, fake_gateway):
    assert client.get("/notifications/inbox/").status_code == 404


def test_the_console_gateway_and_its_inbox_are_refused_in_production(console_gateway, settings, client):
    settings.PRODUCTION = True
    with pytest.raises(ImproperlyConfigured):
        gateways.configured()
    assert client.get("/notifications/inbox/").status_code == 404
    from govhall.notifications.checks import check_gateways

    assert [error.id for error in check_gateways(None)] == ["notifications.E002"]


def test_no_gateway_in_production_fails_the_system_check(settings):
    settings.PRODUCTION = True
    settings.SMS_GATEWAYS = []
    from govhall.notifications.checks import check_gateways

    assert [error.id for error in check_gateways(None)] == ["notifications.E001"]


def test_an_http_gateway_needs_url_and_secret(settings):
    settings.SMS_GATEWAYS = [{"name": "x", "plugin": "http", "url": "", "secret": ""}]
    with pytest.raises(ImproperlyConfigured, match="URL"):
        gateways.configured()


def test_the_sweep_and_the_command_deliver_whatever_is_due(console_gateway):
    for number in range(3):
        services.send("reply_notice", "13900000001", {"kind": "咨询", "number": number})
    assert tasks.sweep() == 3
    services.send("reply_notice", "13900000001", {"kind": "咨询", "number": 9})
    call_command("deliver_messages", "--worker-id", "cli", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Message.objects.filter(status=Status.DELIVERED).count() == 4


def test_ensure_templates_command(console_gateway):
    call_command("ensure_sms_templates", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert services.ensure_templates() == 0


def test_the_on_commit_hint_asks_django_q_once_per_transaction(
    console_gateway, settings, monkeypatch, django_capture_on_commit_callbacks
):
    calls = []
    monkeypatch.setattr("django_q.tasks.async_task", lambda func, **options: calls.append(func))
    settings.SMS_ENQUEUE_HINT = True
    with django_capture_on_commit_callbacks(execute=True):
        services.send("reply_notice", "13900000001", {"kind": "咨询", "number": "1"})
        services.send("reply_notice", "13900000001", {"kind": "咨询", "number": "2"})
    assert calls == ["govhall.notifications.tasks.deliver_soon"]
    assert tasks.deliver_soon() == 2  # what the django-q2 worker then runs


def test_a_failing_broker_does_not_fail_the_business_transaction(console_gateway, settings, monkeypatch):
    def broken(func, **options):
        raise ConnectionError("broker down")

    monkeypatch.setattr("django_q.tasks.async_task", broken)
    services._enqueue_hint()  # logged; the periodic sweep delivers anyway


@pytest.mark.skipif(bool(django_settings.REDIS_URL), reason="needs the ORM broker (REDIS_URL selects Redis)")
def test_with_the_orm_broker_the_hint_is_a_queued_row(console_gateway, settings, django_capture_on_commit_callbacks):
    from django_q.models import OrmQ
    from django_q.signing import SignedPackage

    settings.SMS_ENQUEUE_HINT = True
    with django_capture_on_commit_callbacks(execute=True):
        services.send("reply_notice", "13900000001", {"kind": "咨询", "number": "1"})
    (queued,) = OrmQ.objects.all()
    assert SignedPackage.loads(queued.payload)["func"] == "govhall.notifications.tasks.deliver_soon"
