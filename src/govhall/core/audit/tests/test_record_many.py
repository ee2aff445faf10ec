"""record_many: bulk appends that keep the chain exactly as single appends would."""

import pytest


@pytest.mark.django_db
def test_record_many_builds_the_same_verifiable_chain(settings):
    from govhall.core.audit.models import AuditCheckpoint, AuditEvent
    from govhall.core.audit.services import record, record_many
    from govhall.core.audit.verify import verify_chain

    settings.AUDIT_CHECKPOINT_EVERY = 10
    record("system", "demo.first")
    appended = record_many(
        {"actor": "system", "action": "demo.bulk", "obj": ("demo.thing", n), "after": {"n": n}} for n in range(25)
    )
    record("system", "demo.last")
    assert appended == 25
    assert list(AuditEvent.objects.order_by("id").values_list("id", flat=True)) == list(range(1, 28))
    assert sorted(AuditCheckpoint.objects.values_list("last_event_id", flat=True)) == [10, 20]
    assert verify_chain().ok
