"""``manage.py verify_audit``: OK line, exit code 1 naming the row, ``--since-checkpoint``."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from govhall.core.audit.models import AuditCheckpoint
from govhall.core.audit.tests.conftest import guards_off, sql

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("verify_audit", *args, stdout=out)
    return out.getvalue().strip()


def test_ok_line(make_chain):
    make_chain(25)
    assert run() == "OK: 25 events, 2 checkpoints"


def test_failure_exits_1_naming_the_row_in_both_languages(make_chain):
    make_chain(25)
    with guards_off():
        sql("UPDATE audit_auditevent SET action = 'application.rejected' WHERE id = 14")

    with pytest.raises(CommandError) as raised:
        run()

    assert raised.value.returncode == 1
    assert "第 14 号事件" in str(raised.value)
    assert "event 14" in str(raised.value)


def test_since_newest_checkpoint_checks_only_the_tail(make_chain):
    make_chain(25)
    with guards_off():
        sql("UPDATE audit_auditevent SET reason = 'old tampering' WHERE id = 3")

    assert run("--since-checkpoint") == "OK: 6 events, 1 checkpoints"
    first = AuditCheckpoint.objects.order_by("last_event_id").first()
    assert run("--since-checkpoint", str(first.pk)) == "OK: 16 events, 2 checkpoints"
    with pytest.raises(CommandError, match="event 3"):
        run()


def test_since_checkpoint_still_catches_tampering_in_the_tail(make_chain):
    make_chain(25)
    with guards_off():
        sql("UPDATE audit_auditevent SET reason = 'x' WHERE id = 20")

    with pytest.raises(CommandError, match="event 20"):
        run("--since-checkpoint")


def test_unknown_checkpoint_id(make_chain):
    make_chain(5)
    with pytest.raises(CommandError, match="no checkpoint 999"):
        run("--since-checkpoint", "999")
