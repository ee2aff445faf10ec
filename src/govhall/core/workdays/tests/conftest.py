"""Fixtures: the calendar as ``manage.py seed_calendar`` leaves it in late 2026."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction

from govhall.core.workdays.services import (
    ensure_provisional_year,
    register_deadline_recomputer,
    seed_official_years,
    unregister_deadline_recomputer,
)


@pytest.fixture(scope="module")
def _module_calendar(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """Seeds once per test module inside a transaction rolled back at the module's end; each test
    runs in a savepoint inside it (pytest-django's ``db``), so its writes vanish too. Modules that
    use it must not also hold tests expecting an empty calendar."""
    with django_db_blocker.unblock(), transaction.atomic():
        seed_official_years(range(2020, 2027))
        ensure_provisional_year(2027)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def seeded_calendar(_module_calendar: None, db: None) -> None:
    """2020-2026 official (chinesecalendar), 2027 provisional (statutory holidays only), as
    ``manage.py seed_calendar`` leaves it in late 2026."""


@pytest.fixture
def recorded_changes() -> Iterator[list[set[datetime.date]]]:
    """Registers a dummy recomputer that records every set of changed dates it is given."""
    calls: list[set[datetime.date]] = []

    def record(changed: set[datetime.date]) -> None:
        calls.append(changed)

    register_deadline_recomputer(record)
    yield calls
    unregister_deadline_recomputer(record)
