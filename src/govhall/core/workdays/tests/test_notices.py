"""Hand-written tables from the State Council's notices for 2025 and 2026.

2025: 国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号）.
2026: 国务院办公厅关于2026年部分节假日安排的通知（国办发明电〔2025〕7号）.
Licensing Law Art. 82: working days only, make-up days (调休上班) included; Civil Code Art. 201:
the day of the event is not counted.
"""

from __future__ import annotations

import datetime

import chinese_calendar
import pytest

from govhall.core.workdays.calendar import (
    WorkCalendar,
    add_working_days,
    add_working_days_detail,
    day_kind,
    working_days_between,
)

D = datetime.date
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seeded_calendar")]


def _days(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    return [first + datetime.timedelta(days=i) for i in range((last - first).days + 1)]


# (name, first day off, last day off) exactly as the notices print them.
BREAKS = [
    ("元旦", D(2025, 1, 1), D(2025, 1, 1)),
    ("春节", D(2025, 1, 28), D(2025, 2, 4)),
    ("清明节", D(2025, 4, 4), D(2025, 4, 6)),
    ("劳动节", D(2025, 5, 1), D(2025, 5, 5)),
    ("端午节", D(2025, 5, 31), D(2025, 6, 2)),
    ("国庆节、中秋节", D(2025, 10, 1), D(2025, 10, 8)),
    ("元旦", D(2026, 1, 1), D(2026, 1, 3)),
    ("春节", D(2026, 2, 15), D(2026, 2, 23)),
    ("清明节", D(2026, 4, 4), D(2026, 4, 6)),
    ("劳动节", D(2026, 5, 1), D(2026, 5, 5)),
    ("端午节", D(2026, 6, 19), D(2026, 6, 21)),
    ("中秋节", D(2026, 9, 25), D(2026, 9, 27)),
    ("国庆节", D(2026, 10, 1), D(2026, 10, 7)),
]

MAKEUP_DAYS = [
    D(2025, 1, 26),  # 春节 2025: Sunday worked
    D(2025, 2, 8),  # 春节 2025: Saturday worked
    D(2025, 4, 27),  # 劳动节 2025: Sunday worked
    D(2025, 9, 28),  # 国庆中秋 2025: Sunday worked
    D(2025, 10, 11),  # 国庆中秋 2025: Saturday worked
    D(2026, 1, 4),  # 元旦 2026: Sunday worked
    D(2026, 2, 14),  # 春节 2026: Saturday worked (before the break)
    D(2026, 2, 28),  # 春节 2026: Saturday worked (after the break)
    D(2026, 5, 9),  # 劳动节 2026: Saturday worked
    D(2026, 9, 20),  # 国庆 2026: Sunday worked
    D(2026, 10, 10),  # 国庆 2026: Saturday worked
]

# Ordinary days at the edges of the breaks: the notices do not touch them.
ORDINARY_DAYS = [
    (D(2025, 1, 27), "workday"),  # Mon between the make-up Sunday and the Spring Festival break
    (D(2025, 2, 5), "workday"),  # first day back after 春节 2025
    (D(2025, 2, 9), "rest"),  # Sun after the make-up Saturday: an ordinary weekend day
    (D(2025, 4, 26), "rest"),  # Sat before the make-up Sunday 4/27 stays a rest day
    (D(2025, 5, 6), "workday"),  # first day back after 劳动节 2025
    (D(2025, 9, 27), "rest"),  # Sat before the make-up Sunday 9/28
    (D(2025, 10, 9), "workday"),  # first day back after the 8-day break
    (D(2025, 10, 12), "rest"),  # Sun after the make-up Saturday 10/11
    (D(2026, 2, 13), "workday"),  # Fri before the make-up Saturday 2/14
    (D(2026, 2, 24), "workday"),  # first day back after the 9-day Spring Festival break
    (D(2026, 4, 7), "workday"),  # 清明 2026 has no make-up day: Tue back to work
    (D(2026, 5, 10), "rest"),  # Sun after the make-up Saturday 5/9
    (D(2026, 9, 19), "rest"),  # Sat before the make-up Sunday 9/20
    (D(2026, 9, 28), "workday"),  # Mon between 中秋 and 国庆 2026: a normal working day
    (D(2026, 10, 8), "workday"),  # first day back after 国庆 2026
    (D(2026, 10, 11), "rest"),  # Sun after the make-up Saturday 10/10
]


@pytest.mark.parametrize(("name", "first", "last"), BREAKS)
def test_every_day_of_a_break_is_a_holiday(name: str, first: datetime.date, last: datetime.date) -> None:
    cal = WorkCalendar()
    for day in _days(first, last):
        assert cal.kind(day) == "holiday", (name, day)
        assert not cal.is_working_day(day)
        assert not chinese_calendar.is_workday(day), f"chinesecalendar disagrees with the notice on {day}"


@pytest.mark.parametrize("day", MAKEUP_DAYS)
def test_makeup_weekend_days_are_working_days(day: datetime.date) -> None:
    assert day.weekday() >= 5  # the notice only ever moves weekend days
    assert day_kind(day) == "makeup_workday"
    assert chinese_calendar.is_workday(day), f"chinesecalendar disagrees with the notice on {day}"


@pytest.mark.parametrize(("day", "kind"), ORDINARY_DAYS)
def test_days_around_the_breaks(day: datetime.date, kind: str) -> None:
    assert day_kind(day) == kind
    assert chinese_calendar.is_workday(day) == (kind == "workday")


def test_no_other_makeup_or_holiday_days_in_2025_and_2026() -> None:
    """The notices list every change: any other weekday works and any other weekend day rests."""
    listed = {day for _, first, last in BREAKS for day in _days(first, last)} | set(MAKEUP_DAYS)
    cal = WorkCalendar()
    for day in _days(D(2025, 1, 1), D(2026, 12, 31)):
        if day not in listed:
            assert cal.kind(day) == ("workday" if day.weekday() < 5 else "rest"), day


ADD_WORKING_DAYS = [
    # --- 2025 ---
    (D(2024, 12, 31), 1, D(2025, 1, 2)),  # New Year's Eve: 元旦 1/1 skipped, across the year boundary
    (D(2025, 1, 24), 5, D(2025, 2, 7)),  # make-up Sunday 1/26 counts, then the 8-day 春节 break is skipped
    (D(2025, 1, 27), 1, D(2025, 2, 5)),  # last day before 春节: the next working day is after the break
    (D(2025, 2, 5), 3, D(2025, 2, 8)),  # make-up Saturday 2/8 counts as the 3rd working day
    (D(2025, 4, 25), 2, D(2025, 4, 28)),  # Sat 4/26 rests, make-up Sunday 4/27 counts
    (D(2025, 4, 29), 5, D(2025, 5, 9)),  # Art. 32 correction notice across the 5-day 劳动节 break
    (D(2025, 4, 30), 1, D(2025, 5, 6)),  # 劳动节 May 1-5 includes Monday 5/5
    (D(2025, 5, 30), 1, D(2025, 6, 3)),  # 端午 5/31-6/2 includes Monday 6/2, no make-up day
    (D(2025, 9, 24), 5, D(2025, 9, 30)),  # make-up Sunday 9/28 counts: the 5th lands before the break
    (D(2025, 9, 30), 1, D(2025, 10, 9)),  # 8-day 国庆中秋 break 10/1-10/8 skipped
    (D(2025, 10, 9), 2, D(2025, 10, 11)),  # make-up Saturday 10/11 counts
    (D(2025, 9, 15), 20, D(2025, 10, 17)),  # Art. 42 20 working days spanning the whole 国庆 break
    # --- 2026 ---
    (D(2025, 12, 31), 1, D(2026, 1, 4)),  # 元旦 1/1-1/3 skipped; make-up Sunday 1/4 is the next working day
    (D(2026, 2, 13), 1, D(2026, 2, 14)),  # make-up Saturday 2/14 counts
    (D(2026, 2, 14), 1, D(2026, 2, 24)),  # counting from the make-up Saturday itself: 9-day break follows
    (D(2026, 2, 11), 5, D(2026, 2, 25)),  # Wed before the 9-day 春节 break: 5th working day after it
    (D(2026, 2, 26), 2, D(2026, 2, 28)),  # make-up Saturday 2/28 counts
    (D(2026, 4, 2), 2, D(2026, 4, 7)),  # 清明 4/4-4/6 includes Monday 4/6, no make-up day
    (D(2026, 4, 29), 3, D(2026, 5, 7)),  # 劳动节 5/1-5/5 skipped
    (D(2026, 5, 7), 2, D(2026, 5, 9)),  # make-up Saturday 5/9 counts
    (D(2026, 6, 18), 1, D(2026, 6, 22)),  # 端午 6/19-6/21 is Fri-Sun, no make-up day
    (D(2026, 9, 18), 1, D(2026, 9, 20)),  # Sat 9/19 rests, make-up Sunday 9/20 counts
    (D(2026, 9, 23), 3, D(2026, 9, 29)),  # 中秋 9/25-9/27 skipped
    (D(2026, 9, 30), 5, D(2026, 10, 13)),  # Wed before the 7-day 国庆 break -> 5th working day lands after it
    (D(2026, 10, 9), 1, D(2026, 10, 10)),  # make-up Saturday 10/10 counts
    (D(2026, 9, 21), 20, D(2026, 10, 26)),  # Art. 42: 20 working days over 国庆, 10/10 counted
]


@pytest.mark.parametrize(("start", "n", "due"), ADD_WORKING_DAYS)
def test_add_working_days(start: datetime.date, n: int, due: datetime.date) -> None:
    assert add_working_days(start, n) == due
    assert working_days_between(start, due) == n


@pytest.mark.parametrize(("start", "n", "due"), ADD_WORKING_DAYS)
def test_official_deadlines_are_not_provisional(start: datetime.date, n: int, due: datetime.date) -> None:
    deadline = add_working_days_detail(start, n)
    assert deadline.due == due
    assert deadline.provisional is False


@pytest.mark.parametrize(
    ("start", "end", "count"),
    [
        (D(2026, 9, 30), D(2026, 10, 8), 1),  # only 10/8: the start day never counts (Civil Code Art. 201)
        (D(2026, 10, 1), D(2026, 10, 7), 0),  # wholly inside the 国庆 break
        (D(2026, 2, 13), D(2026, 2, 28), 6),  # 2/14, 2/24-2/27 and the make-up Saturday 2/28
        (D(2026, 10, 8), D(2026, 9, 30), -1),  # reversed: negative (e.g. working days overdue)
        (D(2026, 5, 6), D(2026, 5, 6), 0),  # same day
    ],
)
def test_working_days_between(start: datetime.date, end: datetime.date, count: int) -> None:
    assert working_days_between(start, end) == count


def test_every_day_2020_to_2026_matches_chinesecalendar() -> None:
    cal = WorkCalendar()
    mismatches = [
        day
        for day in _days(D(2020, 1, 1), D(2026, 12, 31))
        if cal.is_working_day(day) != chinese_calendar.is_workday(day)
    ]
    assert mismatches == []


@pytest.mark.parametrize("bad", [0, -1, 1.5, True])
def test_add_working_days_needs_a_positive_count(bad: object) -> None:
    with pytest.raises(ValueError, match="正整数"):
        add_working_days(D(2026, 3, 2), bad)  # type: ignore[arg-type]
