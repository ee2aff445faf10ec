"""The per-process memo is keyed on each year's revision: never stale, one query when warm."""

from __future__ import annotations

import datetime
import uuid

import pytest

from govhall.core.workdays.calendar import WorkCalendar, as_date, is_working_day, publish_official_year
from govhall.core.workdays.models import CalendarDay, CalendarYear

D = datetime.date
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded_calendar")]


def test_a_warm_read_costs_one_query(django_assert_num_queries) -> None:
    is_working_day(D(2026, 10, 8))
    with django_assert_num_queries(1):  # the year list; the days come from the memo
        assert is_working_day(D(2026, 10, 8))


def test_one_calendar_answers_a_batch_with_one_query(django_assert_num_queries) -> None:
    WorkCalendar().add_working_days(D(2026, 12, 28), 5)
    with django_assert_num_queries(1):
        cal = WorkCalendar()
        for day in (D(2026, 1, 5), D(2026, 6, 1), D(2027, 3, 1)):
            cal.add_working_days_detail(day, 20)


def test_a_write_by_another_process_is_seen_at_once() -> None:
    """Simulates another worker rewriting a day: the new revision invalidates this process's memo."""
    assert is_working_day(D(2027, 3, 1))
    CalendarDay.objects.filter(date=D(2027, 3, 1)).update(kind="holiday", holiday_name="测试")
    CalendarYear.objects.filter(year=2027).update(revision=uuid.uuid4())
    assert not is_working_day(D(2027, 3, 1))


def test_publish_is_seen_by_the_next_call() -> None:
    assert is_working_day(D(2027, 2, 9))
    publish_official_year(2027, [("春节", D(2027, 2, 5), D(2027, 2, 12))], [], "测试", by_id=None)
    assert not is_working_day(D(2027, 2, 9))


def test_aware_datetimes_are_read_as_beijing_dates() -> None:
    late_utc = datetime.datetime(2026, 9, 30, 16, 30, tzinfo=datetime.UTC)  # 10/1 00:30 in Beijing
    assert as_date(late_utc) == D(2026, 10, 1)
    assert not is_working_day(late_utc)
    with pytest.raises(TypeError, match="不带时区"):
        is_working_day(datetime.datetime(2026, 10, 1, 0, 30))
