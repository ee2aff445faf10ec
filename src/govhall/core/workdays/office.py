"""Office-time arithmetic: periods counted in minutes of opening hours on working days.

The regulation's pre-review "within 30 minutes" counts office minutes: nights, lunch breaks,
weekends and statutory holidays do not count (Licensing Law Art. 82 applied to minutes); a make-up
workday (调休上班) on a weekend counts with the hours of ``OfficeHours.makeup_weekday``. Weekend
opening hours of a hall (延时服务) do not count: only the calendar's working days do. All local times
are Beijing time.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from .hours import OfficeHours, Period
from .models import CalendarDay
from .queries import BEIJING, WorkCalendar
from .services import ONE_DAY

Kind = CalendarDay.Kind
# A stretch without a single opening this long means the hours are unusable (no office day at all).
MAX_CLOSED_DAYS = 60


def _local(moment: datetime.datetime) -> datetime.datetime:
    """Naive Beijing wall time (no DST since 1991, so naive arithmetic is exact)."""
    if not isinstance(moment, datetime.datetime) or moment.utcoffset() is None:
        raise ValueError("办公时间计算需要带时区的时间")
    return moment.astimezone(BEIJING).replace(tzinfo=None)


def periods_on(calendar: WorkCalendar, day: datetime.date, hours: OfficeHours) -> tuple[Period, ...]:
    """The opening periods that count on ``day``: none on rest days and holidays."""
    kind = calendar.kind(day)
    if kind == Kind.WORKDAY:
        return hours.periods_on(day.weekday())
    if kind == Kind.MAKEUP_WORKDAY:
        return hours.periods_on(day.weekday(), makeup=True)
    return ()


def _intervals(
    calendar: WorkCalendar, hours: OfficeHours, start: datetime.datetime, until: datetime.date | None = None
) -> Iterator[tuple[datetime.datetime, datetime.datetime]]:
    """Counting intervals from ``start`` on (naive local), clipped to begin no earlier than it."""
    day, closed = start.date(), 0
    while until is None or day <= until:
        found = False
        for opens, closes in periods_on(calendar, day, hours):
            begin = max(start, datetime.datetime.combine(day, opens))
            end = datetime.datetime.combine(day, closes)
            if begin < end:
                found = True
                yield begin, end
        closed = 0 if found else closed + 1
        if until is None and closed > MAX_CLOSED_DAYS:
            raise ValueError(f"{MAX_CLOSED_DAYS}天内没有任何办公时间，请检查办公时间设置")
        day += ONE_DAY


def add_office_minutes(start: datetime.datetime, minutes: int, hours: OfficeHours) -> datetime.datetime:
    """The moment ``minutes`` office minutes after ``start`` (aware, returned in Beijing time).

    A start outside opening hours counts from the next opening: 30 minutes from Friday 16:50 with
    a 17:00 close is 09:20 on the next working day. Licensing Law Art. 82 (working days only)."""
    if minutes < 0:
        raise ValueError(f"分钟数不能为负数：{minutes}")
    remaining = datetime.timedelta(minutes=minutes)
    for begin, end in _intervals(WorkCalendar(), hours, _local(start)):
        if remaining <= end - begin:
            return (begin + remaining).replace(tzinfo=BEIJING)
        remaining -= end - begin
    raise AssertionError("unreachable: _intervals is endless without ``until``")  # pragma: no cover


def office_minutes_between(start: datetime.datetime, end: datetime.datetime, hours: OfficeHours) -> int:
    """Whole office minutes in [start, end) (Licensing Law Art. 82); negative if ``end`` < ``start``."""
    if end < start:
        return -office_minutes_between(end, start, hours)
    stop = _local(end)
    total = datetime.timedelta()
    for begin, close in _intervals(WorkCalendar(), hours, _local(start), until=stop.date()):
        if begin >= stop:
            break
        total += min(close, stop) - begin
    return int(total.total_seconds() // 60)
