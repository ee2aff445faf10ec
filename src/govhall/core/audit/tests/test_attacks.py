"""One test per attack: each must make ``verify_chain`` fail and name the row (Art. 20 (四)).

The attacker has full database access (the append-only triggers are switched off first) but not
the checkpoint signing key. A chain of 25 events carries signed checkpoints at events 10 and 20.
"""

from __future__ import annotations

import base64

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from govhall.core.audit.chain import checkpoint_message
from govhall.core.audit.models import AuditEvent
from govhall.core.audit.signing import key_id
from govhall.core.audit.tests.conftest import guards_off, rehash_from, sql
from govhall.core.audit.verify import verify_chain

pytestmark = pytest.mark.django_db

CONTENT_COLUMNS = (
    "occurred_at, actor_id, actor_label, role, scope, action, object_type, object_id, "
    "before, after, reason, ip, user_agent, prev_hash, hash"
)


@pytest.fixture(autouse=True)
def chain(make_chain):
    make_chain(25)


def failure(expected_event_id: int, *words: str) -> None:
    result = verify_chain()
    assert not result.ok
    assert result.bad_event_id == expected_event_id, result.message()
    for word in words:
        assert word in result.message()
    assert "/" in result.message()
    assert "审计链校验失败" in result.message()


def test_modified_row():
    with guards_off():
        sql("UPDATE audit_auditevent SET reason = %s WHERE id = 7", ["已同意（篡改）"])
    failure(7, "row modified", "记录被篡改")


def test_deleted_middle_row():
    with guards_off():
        sql("DELETE FROM audit_auditevent WHERE id = 12")
    failure(12, "event missing")


def test_deleted_oldest_rows():
    with guards_off():
        sql("DELETE FROM audit_auditevent WHERE id <= 3")
    failure(1, "event missing")


def test_truncated_newest_rows_are_caught_by_the_checkpoint():
    """The attacker also rewinds the chain head, so only the signed checkpoint at 20 remains."""
    with guards_off():
        sql("DELETE FROM audit_auditevent WHERE id > 15")
        head = AuditEvent.objects.get(pk=15).hash
        sql("UPDATE audit_auditchainhead SET last_event_id = 15, last_hash = %s WHERE id = 1", [head])
    failure(16, "checkpoint #", "newest rows truncated")


def test_truncated_rows_after_the_newest_checkpoint_are_caught_by_the_chain_head():
    with guards_off():
        sql("DELETE FROM audit_auditevent WHERE id > 22")
    failure(23, "chain head row says event 25")


def test_reordered_rows():
    """Swap the whole content (hashes included) of events 5 and 6; only the ids stay in place."""
    with guards_off():
        sql("UPDATE audit_auditevent SET id = -5 WHERE id = 5")
        sql("UPDATE audit_auditevent SET id = 5 WHERE id = 6")
        sql("UPDATE audit_auditevent SET id = 6 WHERE id = -5")
    failure(5, "reordered")


def test_chain_recomputed_without_the_key_is_caught_by_the_checkpoint():
    """Change event 5 and rehash 5…25 consistently: every link holds, the signed head at 10 does not."""
    with guards_off():
        sql("UPDATE audit_auditevent SET actor_label = %s WHERE id = 5", ["someone.else"])
        rehash_from(5)
    failure(10, "checkpoint #", "chain recomputed or altered")


def test_checkpoint_re_signed_with_the_attackers_key():
    """Rehash after a change, then forge checkpoints with a key of one's own, under the real key id."""
    with guards_off():
        sql("UPDATE audit_auditevent SET reason = %s WHERE id = 5", ["forged"])
        rehash_from(5)
        forger = Ed25519PrivateKey.generate()
        for event_id in (10, 20):
            head = AuditEvent.objects.get(pk=event_id).hash
            signature = base64.b64encode(forger.sign(checkpoint_message(event_id, head, event_id))).decode()
            sql(
                "UPDATE audit_auditcheckpoint SET head_hash = %s, signature = %s WHERE last_event_id = %s",
                [head, signature, event_id],
            )
    failure(10, "invalid signature")


def test_checkpoint_under_an_unknown_key():
    with guards_off():
        stranger = key_id(Ed25519PrivateKey.generate().public_key())
        sql("UPDATE audit_auditcheckpoint SET key_id = %s WHERE last_event_id = 20", [stranger])
    failure(20, "unknown key")


def test_forged_event_inserted_in_the_middle():
    """Shift events 13… up by one and insert a forged event 13 that links to event 12."""
    with guards_off():
        for event_id in range(25, 12, -1):
            sql("UPDATE audit_auditevent SET id = id + 1 WHERE id = %s", [event_id])
        sql(
            f"INSERT INTO audit_auditevent (id, {CONTENT_COLUMNS}) "
            f"SELECT 13, {CONTENT_COLUMNS.removesuffix('prev_hash, hash')} hash, %s "
            "FROM audit_auditevent WHERE id = 12",
            ["f" * 64],
        )
    failure(13, "row modified")
