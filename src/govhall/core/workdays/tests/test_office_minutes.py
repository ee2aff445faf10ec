"""Office-minute arithmetic: pre-review "within 30 minutes" counts opening minutes on working days.

Default hours 09:00-12:00 and 13:30-17:00 Monday to Friday; Beijing time throughout.
"""

from __future__ import annotations

import datetime

import pytest

from govhall.core.workdays.calendar import BEIJING, OfficeHours, add_office_minutes, office_minutes_between

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded_calendar")]
HOURS = OfficeHours()


def bj(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=BEIJING)


@pytest.mark.parametrize(
    ("start", "minutes", "due"),
    [
        (bj(2026, 11, 27, 16, 50), 30, bj(2026, 11, 30, 9, 20)),  # Fri 16:50: 10 min Fri + 20 min Mon
        (bj(2026, 12, 1, 11, 45), 30, bj(2026, 12, 1, 13, 45)),  # Tue: 15 min before lunch, 15 after
        (bj(2026, 12, 1, 12, 10), 30, bj(2026, 12, 1, 14, 0)),  # start at lunch: counts from 13:30
        (bj(2026, 11, 30, 7, 30), 30, bj(2026, 11, 30, 9, 30)),  # start before opening: counts from 09:00
        (bj(2026, 11, 28, 10, 0), 30, bj(2026, 11, 30, 9, 30)),  # Saturday (rest): counts from Monday
        (bj(2026, 12, 1, 16, 30), 30, bj(2026, 12, 1, 17, 0)),  # ends exactly at closing time
        (bj(2026, 12, 1, 17, 0), 30, bj(2026, 12, 2, 9, 30)),  # at closing: next day
        (bj(2026, 12, 1, 20, 0), 0, bj(2026, 12, 2, 9, 0)),  # zero minutes at night: the next opening
        (bj(2026, 9, 30, 16, 50), 30, bj(2026, 10, 8, 9, 20)),  # holiday crossing: 国庆 10/1-10/7 skipped
        (bj(2025, 1, 27, 16, 45), 30, bj(2025, 2, 5, 9, 15)),  # 春节 2025 1/28-2/4 skipped
        (bj(2026, 10, 9, 16, 50), 30, bj(2026, 10, 10, 9, 20)),  # make-up Saturday 10/10 opens (Monday hours)
        (bj(2026, 2, 13, 16, 50), 30, bj(2026, 2, 14, 9, 20)),  # make-up Saturday 2/14 before 春节 2026
        (bj(2026, 2, 14, 16, 50), 30, bj(2026, 2, 24, 9, 20)),  # from the make-up Saturday over 春节
        (bj(2026, 12, 1, 9, 0), 600, bj(2026, 12, 2, 14, 0)),  # 390 min on Tue, then 180 + 30 on Wed
    ],
)
def test_add_office_minutes(start: datetime.datetime, minutes: int, due: datetime.datetime) -> None:
    assert add_office_minutes(start, minutes, HOURS) == due
    if minutes:
        assert office_minutes_between(start, due, HOURS) == minutes


def test_start_given_in_utc_is_read_as_beijing_time() -> None:
    start = datetime.datetime(2026, 11, 27, 8, 50, tzinfo=datetime.UTC)  # Fri 16:50 in Beijing
    due = add_office_minutes(start, 30, HOURS)
    assert due == bj(2026, 11, 30, 9, 20)
    assert due.tzinfo == BEIJING


def test_make_up_day_uses_the_make_up_weekday_hours() -> None:
    """A hall whose Friday closes at noon: with makeup_weekday=4 a make-up Saturday keeps Friday hours."""
    hours = OfficeHours.from_json({"mon": [["09:00", "17:00"]], "fri": [["08:30", "12:00"]]})
    hours = OfficeHours(weekly=hours.weekly, makeup_weekday=4)
    # Fri 10/9 11:50: 10 min on Friday, then the make-up Saturday 10/10 opens 08:30 (Friday's hours).
    assert add_office_minutes(bj(2026, 10, 9, 11, 50), 30, hours) == bj(2026, 10, 10, 8, 50)


@pytest.mark.parametrize(
    ("start", "end", "minutes"),
    [
        (bj(2026, 11, 27, 16, 50), bj(2026, 11, 30, 9, 20), 30),  # over a weekend
        (bj(2026, 12, 1, 11, 45), bj(2026, 12, 1, 13, 45), 30),  # over lunch
        (bj(2026, 10, 1, 9, 0), bj(2026, 10, 7, 17, 0), 0),  # inside 国庆
        (bj(2026, 12, 1, 0, 0), bj(2026, 12, 2, 0, 0), 390),  # one full working day: 3 h + 3.5 h
        (bj(2026, 12, 1, 13, 45), bj(2026, 12, 1, 11, 45), -30),  # reversed: negative
    ],
)
def test_office_minutes_between(start: datetime.datetime, end: datetime.datetime, minutes: int) -> None:
    assert office_minutes_between(start, end, HOURS) == minutes


def test_naive_datetime_is_refused() -> None:
    with pytest.raises(ValueError, match="带时区"):
        add_office_minutes(datetime.datetime(2026, 12, 1, 10, 0), 30, HOURS)


def test_hours_without_any_opening_are_refused() -> None:
    with pytest.raises(ValueError, match="没有任何办公时间"):
        add_office_minutes(bj(2026, 12, 1, 10, 0), 30, OfficeHours(weekly={}))


def test_negative_minutes_are_refused() -> None:
    with pytest.raises(ValueError, match="负数"):
        add_office_minutes(bj(2026, 12, 1, 10, 0), -1, HOURS)
