"""The demo console gateway and the local SMS inbox where a newcomer reads codes."""

from __future__ import annotations

import pytest
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
