"""Business numbers (办件编号): implementation code + yyyyMMdd (Beijing date) + a 5-digit daily sequence.

Never given twice, also under concurrent submissions: the sequence row of (code, date) is only ever
incremented by a conditional UPDATE, which on PostgreSQL takes the row lock until the submitting
transaction commits, so a second submission waits and then reads the incremented value; on SQLite
write transactions are serialised. The first submission of a day inserts the row; two first
submissions racing on the insert meet the unique constraint, and the loser increments instead. A
rolled-back submission rolls its increment back with it, so no committed application loses a number.
"""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.db.models import F

from .models import BusinessNumberSequence

SEQUENCE_DIGITS = 5


def _increment(code: str, day: datetime.date) -> int | None:
    rows = BusinessNumberSequence.objects.filter(implementation_code=code, date=day)
    if not rows.update(last=F("last") + 1):
        return None
    return rows.values_list("last", flat=True).get()


def next_business_number(code: str, day: datetime.date) -> str:
    """The next business number of ``code`` on ``day``, inside the caller's transaction."""
    sequence = _increment(code, day)
    if sequence is None:
        try:
            with transaction.atomic():
                BusinessNumberSequence.objects.create(implementation_code=code, date=day, last=1)
            sequence = 1
        except IntegrityError:
            sequence = _increment(code, day)
    if sequence is None or sequence >= 10**SEQUENCE_DIGITS:
        raise RuntimeError(f"business number sequence exhausted for {code} on {day}")
    return f"{code}{day:%Y%m%d}{sequence:0{SEQUENCE_DIGITS}d}"
