"""The pre-review clock (Art. 12): 30 office minutes of the handling department, over real 2026
holidays and make-up days; a special-or-complex item has its own, longer limit."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest

from govhall.applications import office_clock
from govhall.applications.tests.conftest import at
from govhall.directory.tests.factories import DepartmentFactory, ServiceCentreFactory

ORDINARY = SimpleNamespace(special_or_complex=False)
SPECIAL = SimpleNamespace(special_or_complex=True)


@pytest.mark.parametrize(
    ("submitted", "due"),
    [
        ("2026-11-25 10:00", "2026-11-25 10:30"),  # Wed morning: plain 30 minutes
        ("2026-11-25 11:50", "2026-11-25 13:50"),  # Wed 11:50 -> 10 min before lunch, 20 after 13:30
        ("2026-11-25 12:30", "2026-11-25 14:00"),  # in the lunch break: counts from 13:30
        ("2026-11-25 16:50", "2026-11-26 09:20"),  # Wed 16:50 -> Thu 09:20 (closes 17:00)
        ("2026-11-25 19:00", "2026-11-26 09:30"),  # evening: counts from the next opening
        ("2026-11-27 16:50", "2026-11-30 09:20"),  # Fri 16:50 -> next workday (Mon) 09:20
        ("2026-11-28 10:00", "2026-11-30 09:30"),  # Sat: counts from Monday's opening
        ("2026-09-30 16:50", "2026-10-08 09:20"),  # before 国庆 10/1-10/7: next workday 10/8
        ("2026-10-09 16:50", "2026-10-10 09:20"),  # Fri before the make-up Saturday 10/10, which counts
    ],
)
def test_thirty_office_minutes_skip_lunch_evenings_weekends_and_holidays(db, submitted, due):
    department = DepartmentFactory()
    assert office_clock.pre_review_due(department, at(submitted), ORDINARY) == at(due)


def test_the_department_hours_are_those_of_its_centre(db):
    # Centre closes at 16:30 on weekdays: Wed 16:20 -> 10 min Wed, 20 min Thu from 08:30.
    hours = {day: [["08:30", "12:00"], ["13:00", "16:30"]] for day in ("mon", "tue", "wed", "thu", "fri")}
    department = DepartmentFactory(centre=ServiceCentreFactory(office_hours=hours))
    assert office_clock.pre_review_due(department, at("2026-11-25 16:20"), ORDINARY) == at("2026-11-26 08:50")


def test_a_special_or_complex_item_is_exempt_with_its_own_limit(db, settings):
    department = DepartmentFactory()
    # Default: three office days (3 x 390 minutes). Wed 10:00 -> Mon 10:00 (weekend skipped).
    assert office_clock.pre_review_due(department, at("2026-11-25 10:00"), SPECIAL) == at("2026-11-30 10:00")
    settings.APPLICATIONS_PRE_REVIEW_SPECIAL_MINUTES = 60
    assert office_clock.pre_review_due(department, at("2026-11-25 10:00"), SPECIAL) == at("2026-11-25 11:00")
    assert office_clock.limit_minutes(ORDINARY) == 30


def test_finished_in_time_compares_with_the_stored_due_moment():
    due = at("2026-11-25 10:30")
    row = SimpleNamespace(pre_review_due=due, pre_reviewed_at=None)
    assert office_clock.finished_in_time(row) is None
    row.pre_reviewed_at = due
    assert office_clock.finished_in_time(row) is True
    row.pre_reviewed_at = due + datetime.timedelta(minutes=1)
    assert office_clock.finished_in_time(row) is False
