"""Verification split between worker processes finds exactly what the single-process run finds.

PostgreSQL only: workers are forked and need a server database (and no open test transaction,
hence ``transaction=True``). 60 events, checkpoints every 10, three segments: 1–20, 21–40, 41–.
"""

from __future__ import annotations

import pytest
from django.db import connection

from govhall.core.audit.models import AuditEvent
from govhall.core.audit.tests.conftest import guards_off, rehash_from, sql
from govhall.core.audit.verify import verify_chain

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="forked workers need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def modify_inside_a_segment():
    sql("UPDATE audit_auditevent SET reason = 'x' WHERE id = 33")


def delete_first_row_of_a_segment():
    sql("DELETE FROM audit_auditevent WHERE id = 21")


def delete_last_row_of_a_segment():
    sql("DELETE FROM audit_auditevent WHERE id = 40")


def swap_rows_across_a_boundary():
    sql("UPDATE audit_auditevent SET id = -20 WHERE id = 20")
    sql("UPDATE audit_auditevent SET id = 20 WHERE id = 21")
    sql("UPDATE audit_auditevent SET id = 21 WHERE id = -20")


def break_the_link_at_a_boundary():
    sql("UPDATE audit_auditevent SET prev_hash = %s WHERE id = 41", ["0" * 64])


def rehash_after_a_change():
    sql("UPDATE audit_auditevent SET actor_label = 'x' WHERE id = 25")
    rehash_from(25)


def truncate_newest():
    sql("DELETE FROM audit_auditevent WHERE id > 52")


@pytest.mark.parametrize(
    ("attack", "bad_event_id"),
    [
        (None, None),
        (modify_inside_a_segment, 33),
        (delete_first_row_of_a_segment, 21),
        (delete_last_row_of_a_segment, 40),
        (swap_rows_across_a_boundary, 20),
        (break_the_link_at_a_boundary, 41),
        (rehash_after_a_change, 30),
        (truncate_newest, 53),
    ],
)
def test_workers_agree_with_one_process(make_chain, attack, bad_event_id):
    make_chain(60)
    if attack:
        with guards_off():
            attack()

    serial = verify_chain(workers=1)
    parallel = verify_chain(workers=3)

    assert (parallel.ok, parallel.bad_event_id) == (serial.ok, serial.bad_event_id) == (attack is None, bad_event_id)
    assert (parallel.events, parallel.checkpoints) == (serial.events, serial.checkpoints)
    assert AuditEvent.objects.exists()  # the parent's connection works again after the fork
