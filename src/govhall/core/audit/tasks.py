"""Scheduled work for the audit trail (run by django-q2 schedules).

Why: a checkpoint every ``AUDIT_CHECKPOINT_EVERY`` events leaves the newest events of a quiet
period unsigned; signing the head every few minutes bounds how many newest rows could be truncated
unnoticed (regulation Art. 20 (四): deletions of system data must be detectable).
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from govhall.core.audit.models import AuditChainHead, AuditCheckpoint
from govhall.core.audit.services import write_checkpoint


def checkpoint_if_due(max_age_minutes: int = 10) -> AuditCheckpoint | None:
    """Sign the chain head if events exist past the newest checkpoint and it is older than the limit.

    Schedule it every few minutes, e.g. ``Schedule.objects.create(func=
    "govhall.core.audit.tasks.checkpoint_if_due", schedule_type=Schedule.MINUTES, minutes=5)``.
    Returns the new checkpoint, or ``None`` when none was due.
    """
    head = AuditChainHead.objects.filter(pk=1).values_list("last_event_id", flat=True).first()
    if not head:
        return None
    newest = AuditCheckpoint.objects.order_by("-last_event_id").first()
    if newest is not None:
        if newest.last_event_id >= head:
            return None
        if newest.created_at > timezone.now() - timedelta(minutes=max_age_minutes):
            return None
    return write_checkpoint()
