"""The database itself refuses UPDATE and DELETE of audit rows, on PostgreSQL and SQLite alike.

SQLite differs in one documented way: the OLDEST remaining row may be deleted (that is how
``DELETE FROM`` — Django's flush — proceeds); the verifier still notices a missing prefix.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from govhall.core.audit.models import AppendOnlyError, AuditChainHead, AuditCheckpoint, AuditEvent
from govhall.core.audit.services import record
from govhall.core.audit.tests.conftest import sql
from govhall.core.audit.verify import verify_chain

pytestmark = pytest.mark.django_db


def refused(statement: str) -> None:
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        sql(statement)


@pytest.fixture
def chain(make_chain):
    return make_chain(25)


def test_database_refuses_update_of_an_event(chain):
    refused("UPDATE audit_auditevent SET reason = 'x' WHERE id = 5")
    refused("UPDATE audit_auditevent SET reason = 'x'")
    assert verify_chain().ok


def test_database_refuses_delete_of_a_middle_or_the_newest_event(chain):
    refused("DELETE FROM audit_auditevent WHERE id = 5")
    refused("DELETE FROM audit_auditevent WHERE id = 25")
    refused("DELETE FROM audit_auditevent WHERE id > 3")
    assert AuditEvent.objects.count() == 25


def test_database_refuses_update_and_delete_of_a_checkpoint(chain):
    refused("UPDATE audit_auditcheckpoint SET head_hash = 'x'")
    refused("DELETE FROM audit_auditcheckpoint WHERE last_event_id = 20")
    assert AuditCheckpoint.objects.count() == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL refuses every row DELETE")
def test_postgresql_refuses_delete_of_the_oldest_event_too(chain):
    refused("DELETE FROM audit_auditevent WHERE id = 1")


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite-specific oldest-first rule")
def test_sqlite_lets_the_oldest_row_go_and_the_verifier_notices(chain):
    sql("DELETE FROM audit_auditevent WHERE id = 1")

    result = verify_chain()
    assert not result.ok
    assert result.bad_event_id == 1


def test_python_refuses_update_and_delete_too(chain):
    event = chain[0]
    event.reason = "changed"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=1).update(reason="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=1).delete()
    with pytest.raises(AppendOnlyError):
        AuditCheckpoint.objects.all().delete()


@pytest.mark.django_db(transaction=True)
def test_flush_still_empties_the_tables_for_transactional_tests(make_chain):
    """Django's flush (TRUNCATE on PostgreSQL, DELETE FROM on SQLite) must keep working."""
    make_chain(30)

    call_command("flush", interactive=False, verbosity=0)

    assert not AuditEvent.objects.exists()
    assert not AuditCheckpoint.objects.exists()
    assert not AuditChainHead.objects.exists()
    assert record("system", "test.after_flush").id == 1
    assert verify_chain().ok


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE guard is PostgreSQL-only")
def test_postgresql_refuses_truncate_where_the_operator_switched_the_guard_on(chain):
    sql("TRUNCATE audit_auditchainhead")  # not an audit table: never guarded
    with transaction.atomic():
        sql("SET LOCAL govhall.audit_refuse_truncate = 'on'")
        refused("TRUNCATE audit_auditevent")
        refused("TRUNCATE audit_auditcheckpoint")
    assert AuditEvent.objects.count() == 25
